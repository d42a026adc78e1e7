import fc from 'fast-check';
import { NO_INTENTS, createInstrument, type Candle, type Intent, type OpenOrderView, type Strategy } from '@kestrel/trading-core';
import { describe, expect, it } from 'vitest';
import { StrategyParamsError } from '../errors.ts';
import { makeContext } from '../testing.ts';
import { createGrid } from './grid.ts';

/**
 * A toy host with limit-order matching: orders asked for on a candle rest from the next one; a
 * buy fills when a candle's low reaches its price, a sell when the high does (whole orders).
 */
class ToyHost {
  readonly ctx = makeContext();
  readonly book: OpenOrderView[] = [];
  #seq = 0;
  constructor(readonly strategy: Strategy) {}

  step(c: { high: number; low: number; close: number }): readonly Intent[] {
    const candle: Candle = { time: this.#seq * 60_000, open: c.close, high: c.high, low: c.low, close: c.close, volume: 1 };
    for (let k = this.book.length - 1; k >= 0; k--) {
      const o = this.book[k]!;
      if (o.side === 'buy' ? c.low <= o.price! : c.high >= o.price!) {
        this.ctx.positionQty += o.side === 'buy' ? o.leavesQty : -o.leavesQty;
        this.book.splice(k, 1);
      }
    }
    this.ctx.openOrders = this.book.slice();
    this.ctx.lastPrice = c.close;
    const intents = this.strategy.onCandle(this.ctx, candle);
    for (const i of intents) {
      if (i.kind !== 'order' || i.orderType !== 'limit') throw new Error(`unexpected intent ${JSON.stringify(i)}`);
      this.book.push({ clientOrderId: `o-${++this.#seq}`, side: i.side, orderType: 'limit', price: Number(i.price), leavesQty: Number(i.quantity) });
    }
    return intents;
  }
}

const at = (close: number, high = close, low = close) => ({ high, low, close });
const brief = (intents: readonly Intent[]) => intents.map((i) => (i.kind === 'order' ? `${i.side} ${String(i.price)}` : i.kind));

describe('grid', () => {
  // Levels 90, 95, 100, 105, 110.
  const params = { lower: 90, upper: 110, levels: 5, sizePerLevel: 1 };

  it('buys below the price, sells each filled level one level up, re-buys after the sell, never repeats an open order', () => {
    const host = new ToyHost(createGrid(params));
    expect(brief(host.step(at(102)))).toEqual(['buy 90', 'buy 95', 'buy 100']);
    expect(host.step(at(103, 103.5, 101))).toBe(NO_INTENTS); // all three are open
    expect(brief(host.step(at(99.5, 102, 99)))).toEqual(['sell 105']); // buy 100 filled
    expect(host.ctx.positionQty).toBe(1);
    expect(brief(host.step(at(96, 99, 94)))).toEqual(['sell 100']); // buy 95 filled
    expect(host.step(at(96, 97, 95.5))).toBe(NO_INTENTS);
    expect(brief(host.step(at(100.5, 101, 96)))).toEqual(['buy 95']); // sell 100 filled
    expect(host.ctx.positionQty).toBe(1);
    expect(brief(host.step(at(104, 106, 101)))).toEqual(['buy 100']); // sell 105 filled
    expect(host.ctx.positionQty).toBe(0);
    expect(host.step(at(104))).toBe(NO_INTENTS);
    expect(host.book.map((o) => `${o.side} ${o.price}`).sort()).toEqual(['buy 100', 'buy 90', 'buy 95']);
  });

  it('places buy limits and reduce-only sell limits with the level in the reason', () => {
    const host = new ToyHost(createGrid(params));
    const [buy] = host.step(at(92));
    expect(buy).toEqual({
      kind: 'order',
      side: 'buy',
      orderType: 'limit',
      timeInForce: 'GTC',
      price: 90,
      quantity: 1,
      reason: 'grid: buy 1 at level 1 of 5 (90), below the price',
    });
    const [sell] = host.step(at(89, 92, 89));
    expect(sell).toEqual({
      kind: 'order',
      side: 'sell',
      orderType: 'limit',
      timeInForce: 'GTC',
      price: 95,
      quantity: 1,
      reduceOnly: true,
      reason: 'grid: sell 1 bought at level 1 (90) at level 2 of 5 (95)',
    });
  });

  it('does not place a buy at or above the price', () => {
    const host = new ToyHost(createGrid(params));
    expect(brief(host.step(at(95)))).toEqual(['buy 90']);
    expect(brief(host.step(at(95.01)))).toEqual(['buy 95']);
  });

  it('after a restart, recognises its open orders and its position instead of placing them again', () => {
    const first = new ToyHost(createGrid(params));
    first.step(at(102));
    first.step(at(96, 99, 94)); // buys 100 and 95 fill
    expect(first.ctx.positionQty).toBe(2);
    expect(brief(first.step(at(96)))).toEqual([]); // their sells were placed on the fill candle
    const restarted = new ToyHost(createGrid(params));
    restarted.ctx.positionQty = first.ctx.positionQty;
    restarted.book.push(...first.book);
    expect(restarted.step(at(96))).toBe(NO_INTENTS);
    // A restart with a position but none of its sells on the book: the units go to the slots just
    // above the price (bought at 95 and 100), so their sells are the next levels up.
    const bare = new ToyHost(createGrid(params));
    bare.ctx.positionQty = 2;
    expect(brief(bare.step(at(96)))).toEqual(['buy 90', 'sell 100', 'sell 105']);
  });

  it('keeps one order per slot and one sell per unit held on any price path, deterministically', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -6, max: 6, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true })), { minLength: 1, maxLength: 80 }), (moves) => {
        const run = () => {
          const host = new ToyHost(createGrid({ lower: 90, upper: 110, levels: 9, sizePerLevel: 0.5 }));
          const log: string[] = [];
          let price = 100;
          for (const [move, wick] of moves) {
            const next = Math.min(130, Math.max(70, price + move));
            const c = at(next, Math.max(price, next) + wick, Math.min(price, next) - wick);
            price = next;
            log.push(brief(host.step(c)).join(','));
            const keys = host.book.map((o) => `${o.side} ${o.price}`);
            expect(new Set(keys).size).toBe(keys.length); // never the same order twice
            expect(host.ctx.positionQty).toBeGreaterThanOrEqual(0);
            const sells = host.book.filter((o) => o.side === 'sell').length;
            expect(sells * 0.5).toBeCloseTo(host.ctx.positionQty, 9); // every unit held has its sell
            // a slot has a buy at its level or a sell one level up, never both
            for (const o of host.book) if (o.side === 'buy') expect(keys).not.toContain(`sell ${o.price! + 2.5}`);
          }
          return log;
        };
        expect(run()).toEqual(run());
      }),
      { numRuns: 200 },
    );
  });

  it('rounds levels to the tick with an instrument, and refuses levels that collapse or a size below the lot', () => {
    const r = createInstrument({ symbol: 'X/USDT', base: 'X', quote: 'USDT', tickSize: '0.5', lotSize: '0.1' });
    if (!r.ok) throw new Error(r.error.message);
    const instrument = r.value;
    const grid = createGrid({ lower: 100, upper: 101, levels: 3, sizePerLevel: 1 }, instrument) as Strategy & { levels: Float64Array };
    expect(Array.from(grid.levels)).toEqual([100, 100.5, 101]);
    expect(() => createGrid({ lower: 100, upper: 101, levels: 4, sizePerLevel: 1 }, instrument)).toThrow(/fall on the same price/);
    expect(() => createGrid({ lower: 100, upper: 101, levels: 3, sizePerLevel: 0.05 }, instrument)).toThrow(StrategyParamsError);
    expect(() => createGrid({ lower: 100, upper: 101, levels: 3, sizePerLevel: 0.05 }, instrument)).toThrow(/sizePerLevel \(0\.05\) rounds down to 0 at the lot size 0\.1/);
  });
});
