import { z } from 'zod';
import { NO_INTENTS, decToString, type Candle, type Instrument, type Intent, type OpenOrderView, type PlaceOrderIntent, type Strategy, type StrategyContext } from '@kestrel/trading-core';
import { StrategyParamsError, parseOrThrow } from '../errors.ts';
import { formatNumber } from './format.ts';
import { checkQuantityForInstrument, roundToTick } from './instrument-checks.ts';
import { PARAMS_OBJECT, positiveParam } from './params.ts';

export const GRID_ID = 'grid';
export const MAX_GRID_LEVELS = 200;

export const gridParamsSchema = z
  .object(
    {
      lower: positiveParam('lower', { title: 'Lowest price', description: 'Price of the lowest grid level, in the quote currency.' }),
      upper: positiveParam('upper', { title: 'Highest price', description: 'Price of the highest grid level; above the lowest.' }),
      levels: z
        .number({ error: 'levels must be a number' })
        .int({ error: 'levels must be a whole number' })
        .min(2, { error: 'levels must be at least 2 (the lowest and the highest price)' })
        .max(MAX_GRID_LEVELS, { error: `levels must be at most ${MAX_GRID_LEVELS}` })
        .default(10)
        .meta({ title: 'Levels', description: 'Number of evenly spaced prices from the lowest to the highest, both included.' }),
      sizePerLevel: positiveParam('sizePerLevel', {
        title: 'Size per level',
        description: 'Quantity in the base currency of each grid order (e.g. 0.01 for 0.01 BTC).',
      }),
    },
    PARAMS_OBJECT,
  )
  .superRefine((p, ctx) => {
    if (p.lower >= p.upper) ctx.addIssue({ code: 'custom', path: ['upper'], message: `upper (${p.upper}) must be greater than lower (${p.lower})` });
  })
  .meta({
    title: 'Grid',
    description: 'Long only: keeps a buy limit order at each grid level below the price and, for each level bought, a sell limit one level higher.',
  });

export type GridParams = z.output<typeof gridParamsSchema>;
export type GridParamsInput = z.input<typeof gridParamsSchema>;

const EPS = 1e-9;

/**
 * A long-only grid. Levels L0 < … < L(n−1) are evenly spaced from `lower` to `upper` (rounded to
 * the tick when the instrument is given). Slot j (0 ≤ j < n − 1) pairs a buy at Lj with a sell at
 * L(j+1), and is either empty or holding `sizePerLevel`.
 *
 * On each candle, with p its close:
 * 1. The open limit orders (ctx.openOrders) are matched to levels by price (nearest level, within
 *    half the smallest gap): an open buy at Lj marks slot j's buy as open, an open sell at L(j+1)
 *    marks slot j's sell as open, and such a slot counts as holding.
 * 2. The position says how many slots hold: positionQty / sizePerLevel, counted only in whole
 *    units (a partly filled buy is not held yet, a partly filled sell is still held). When it
 *    grew, the slots whose buy has gone from the book (seen open last time, then those asked for
 *    last time) are marked holding, highest first (a falling price fills the highest buy first);
 *    when it shrank, the holding slots whose sell has gone, lowest first. Units no vanished order
 *    explains (a restart with a position) go to the empty slots just above p, then below.
 * 3. For each slot in ascending order: holding without an open sell → `order` sell limit at
 *    L(j+1) (reduce-only); empty, no open buy and Lj < p → `order` buy limit at Lj. An order that
 *    is already open is never asked for again; nothing is ever cancelled.
 *
 * Deterministic: the result depends only on the candles, positions and open orders seen, in
 * order. O(levels + open orders) per candle; allocates only the returned array when it asks for
 * orders (the intents themselves are built once, at creation).
 */
class GridStrategy implements Strategy<GridParams> {
  readonly id = GRID_ID;
  readonly params: GridParams;
  readonly warmup = 0;
  /** Level prices, ascending. */
  readonly levels: Float64Array;
  readonly #slots: number;
  readonly #halfGap: number;
  readonly #step: number;
  readonly #buyIntents: readonly PlaceOrderIntent[];
  readonly #sellIntents: readonly PlaceOrderIntent[];
  // Per slot, 0/1.
  readonly #held: Uint8Array;
  readonly #openBuy: Uint8Array;
  readonly #openSell: Uint8Array;
  readonly #buySeen: Uint8Array;
  readonly #buySent: Uint8Array;
  readonly #sellSeen: Uint8Array;
  readonly #sellSent: Uint8Array;
  #heldCount = 0;
  /** The close being handled. */
  #price = NaN;

  constructor(params: GridParams, instrument: Instrument | undefined) {
    this.params = Object.freeze({ ...params });
    const n = params.levels;
    const levels = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const raw = j === n - 1 ? params.upper : params.lower + ((params.upper - params.lower) * j) / (n - 1);
      levels[j] = instrument ? roundToTick(raw, instrument) : raw;
    }
    let minGap = Infinity;
    for (let j = 1; j < n; j++) {
      const gap = (levels[j] as number) - (levels[j - 1] as number);
      if (!(gap > 0)) {
        throw new StrategyParamsError(GRID_ID, [
          {
            code: 'custom',
            path: ['levels'],
            input: n,
            message: `levels ${j - 1} and ${j} fall on the same price ${levels[j]} at the tick size ${instrument ? decToString(instrument.tickSize) : '?'}: use fewer levels or a wider range`,
          },
        ]);
      }
      minGap = Math.min(minGap, gap);
    }
    this.levels = levels;
    this.#slots = n - 1;
    this.#halfGap = minGap / 2;
    this.#step = (params.upper - params.lower) / (n - 1);
    const buys: PlaceOrderIntent[] = [];
    const sells: PlaceOrderIntent[] = [];
    const qty = params.sizePerLevel;
    for (let j = 0; j < n - 1; j++) {
      const buyAt = levels[j] as number;
      const sellAt = levels[j + 1] as number;
      buys.push(
        Object.freeze({
          kind: 'order',
          side: 'buy',
          orderType: 'limit',
          timeInForce: 'GTC',
          price: buyAt,
          quantity: qty,
          reason: `grid: buy ${formatNumber(qty)} at level ${j + 1} of ${n} (${formatNumber(buyAt, 10)}), below the price`,
        } as const),
      );
      sells.push(
        Object.freeze({
          kind: 'order',
          side: 'sell',
          orderType: 'limit',
          timeInForce: 'GTC',
          price: sellAt,
          quantity: qty,
          reduceOnly: true,
          reason: `grid: sell ${formatNumber(qty)} bought at level ${j + 1} (${formatNumber(buyAt, 10)}) at level ${j + 2} of ${n} (${formatNumber(sellAt, 10)})`,
        } as const),
      );
    }
    this.#buyIntents = buys;
    this.#sellIntents = sells;
    const slots = n - 1;
    this.#held = new Uint8Array(slots);
    this.#openBuy = new Uint8Array(slots);
    this.#openSell = new Uint8Array(slots);
    this.#buySeen = new Uint8Array(slots);
    this.#buySent = new Uint8Array(slots);
    this.#sellSeen = new Uint8Array(slots);
    this.#sellSent = new Uint8Array(slots);
  }

  onCandle(ctx: StrategyContext, candle: Candle): readonly Intent[] {
    // Floats go through fields, not arguments: a float argument to a call the JIT does not inline
    // is boxed, i.e. allocated, on every candle.
    this.#price = candle.close;
    this.#scanOpenOrders(ctx.openOrders);
    this.#syncHeld(ctx);
    return this.#placeMissing();
  }

  #scanOpenOrders(orders: readonly OpenOrderView[]): void {
    const openBuy = this.#openBuy;
    const openSell = this.#openSell;
    const held = this.#held;
    const levels = this.levels;
    const last = levels.length - 1;
    const lower = this.params.lower;
    const step = this.#step;
    const halfGap = this.#halfGap;
    openBuy.fill(0);
    openSell.fill(0);
    for (let k = 0; k < orders.length; k++) {
      const o = orders[k] as OpenOrderView;
      const price = o.price;
      if (o.orderType !== 'limit' || price === null || !(o.leavesQty > 0)) continue;
      // The level within half the smallest gap of the price (at most one is). Levels rounded to
      // the tick are within half a tick (≤ half a step) of even spacing: the evenly spaced guess
      // or a neighbour. (Unrolled: a loop here made V8 box floats on every candle.)
      let level = Math.round((price - lower) / step);
      if (level < 0) level = 0;
      else if (level > last) level = last;
      if (!(Math.abs(price - (levels[level] as number)) < halfGap)) {
        if (level > 0 && Math.abs(price - (levels[level - 1] as number)) < halfGap) level--;
        else if (level < last && Math.abs(price - (levels[level + 1] as number)) < halfGap) level++;
        else continue;
      }
      if (o.side === 'buy') {
        if (level < this.#slots) openBuy[level] = 1;
      } else if (level > 0) {
        const slot = level - 1;
        openSell[slot] = 1;
        // The book says the slot holds (e.g. after a restart).
        if (held[slot] === 0) {
          held[slot] = 1;
          this.#heldCount++;
        }
      }
    }
  }

  #syncHeld(ctx: StrategyContext): void {
    const units = ctx.positionQty / this.params.sizePerLevel;
    if (units >= this.#heldCount + 1 - EPS) {
      let need = Math.min(Math.floor(units + EPS), this.#slots) - this.#heldCount;
      need = this.#holdVanishedBuys(need, this.#buySeen);
      need = this.#holdVanishedBuys(need, this.#buySent);
      if (need > 0) this.#holdUnexplained(need);
    } else if (units <= this.#heldCount - 1 + EPS) {
      let need = this.#heldCount - Math.max(0, Math.ceil(units - EPS));
      need = this.#releaseVanishedSells(need, true);
      if (need > 0) this.#releaseVanishedSells(need, false);
    }
  }

  #hold(j: number): void {
    this.#held[j] = 1;
    this.#heldCount++;
  }

  /** Highest first: the empty slots whose buy was `marks`ed last time and is no longer open. */
  #holdVanishedBuys(need: number, marks: Uint8Array): number {
    for (let j = this.#slots - 1; j >= 0 && need > 0; j--) {
      if (marks[j] === 1 && this.#held[j] === 0 && this.#openBuy[j] === 0) {
        this.#hold(j);
        need--;
      }
    }
    return need;
  }

  /** Units no vanished buy explains: the empty slots just above the price first, then below. */
  #holdUnexplained(need: number): number {
    const levels = this.levels;
    const price = this.#price;
    let first = 0;
    while (first < this.#slots && (levels[first + 1] as number) <= price) first++;
    for (let j = first; j < this.#slots && need > 0; j++) {
      if (this.#held[j] === 0 && this.#openBuy[j] === 0) {
        this.#hold(j);
        need--;
      }
    }
    for (let j = first - 1; j >= 0 && need > 0; j--) {
      if (this.#held[j] === 0 && this.#openBuy[j] === 0) {
        this.#hold(j);
        need--;
      }
    }
    return need;
  }

  /** Lowest first: holding slots whose sell is not open (and, when `vanishedOnly`, was seen or asked for). */
  #releaseVanishedSells(need: number, vanishedOnly: boolean): number {
    for (let j = 0; j < this.#slots && need > 0; j++) {
      if (this.#held[j] === 1 && this.#openSell[j] === 0 && (!vanishedOnly || this.#sellSeen[j] === 1 || this.#sellSent[j] === 1)) {
        this.#held[j] = 0;
        this.#heldCount--;
        need--;
      }
    }
    return need;
  }

  #placeMissing(): readonly Intent[] {
    let out: Intent[] | null = null;
    const price = this.#price;
    const levels = this.levels;
    for (let j = 0; j < this.#slots; j++) {
      if (this.#held[j] === 1) {
        this.#buySeen[j] = 0;
        this.#buySent[j] = 0;
        if (this.#openSell[j] === 1) {
          this.#sellSeen[j] = 1;
          this.#sellSent[j] = 0;
        } else {
          this.#sellSeen[j] = 0;
          this.#sellSent[j] = 1;
          (out ??= []).push(this.#sellIntents[j] as PlaceOrderIntent);
        }
      } else {
        this.#sellSeen[j] = 0;
        this.#sellSent[j] = 0;
        if (this.#openBuy[j] === 1) {
          this.#buySeen[j] = 1;
          this.#buySent[j] = 0;
        } else if ((levels[j] as number) < price) {
          this.#buySeen[j] = 0;
          this.#buySent[j] = 1;
          (out ??= []).push(this.#buyIntents[j] as PlaceOrderIntent);
        } else {
          this.#buySeen[j] = 0;
          this.#buySent[j] = 0;
        }
      }
    }
    return out ?? NO_INTENTS;
  }
}

export function createGrid(params: GridParamsInput, instrument?: Instrument): Strategy<GridParams> {
  const parsed = parseOrThrow(GRID_ID, gridParamsSchema, params);
  checkQuantityForInstrument(GRID_ID, 'sizePerLevel', parsed.sizePerLevel, instrument);
  return new GridStrategy(parsed, instrument);
}
