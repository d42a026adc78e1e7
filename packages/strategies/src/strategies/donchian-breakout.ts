import { z } from 'zod';
import { NO_INTENTS, type Candle, type Instrument, type Intent, type Strategy, type StrategyContext } from '@kestrel/trading-core';
import { parseOrThrow } from '../errors.ts';
import { checkQuantityForInstrument } from './instrument-checks.ts';
import { DonchianChannel } from '../indicators/donchian.ts';
import { formatPair } from './format.ts';
import { warmUpFromWindow } from './warm-up.ts';
import { PARAMS_OBJECT, periodParam, sizeParam } from './params.ts';

export const DONCHIAN_BREAKOUT_ID = 'donchian-breakout';

export const donchianBreakoutParamsSchema = z
  .object(
    {
      entryPeriod: periodParam('entryPeriod', { title: 'Entry channel', description: 'Buy when the close rises above the highest high of this many previous candles.' }, 20),
      exitPeriod: periodParam('exitPeriod', { title: 'Exit channel', description: 'Sell when the close falls below the lowest low of this many previous candles.' }, 10),
      size: sizeParam(),
    },
    PARAMS_OBJECT,
  )
  .meta({
    title: 'Donchian breakout',
    description: 'Long only, turtle style: buys a close above the recent highs, sells a close below the (shorter) recent lows.',
  });

export type DonchianBreakoutParams = z.output<typeof donchianBreakoutParamsSchema>;
export type DonchianBreakoutParamsInput = z.input<typeof donchianBreakoutParamsSchema>;

/**
 * Donchian breakout, long only. On each candle, before it joins the channels: H = highest high of
 * the previous `entryPeriod` candles, L = lowest low of the previous `exitPeriod` candles (the
 * current candle excluded, so a close can exceed them). Decisions start once both channels are
 * full (candle index max(entryPeriod, exitPeriod), the `warmup`):
 * - close > H → `enter` when flat;
 * - close < L → `exit` when long.
 * Strict inequalities: a close equal to the old high is not a breakout. These are levels, not
 * crossings: while flat and still closing above the previous highs (each such close is a new
 * high), the entry is asked for again. Warms up from ctx.candles on the first call, like
 * sma-cross.
 */
class DonchianBreakoutStrategy implements Strategy<DonchianBreakoutParams> {
  readonly id = DONCHIAN_BREAKOUT_ID;
  readonly params: DonchianBreakoutParams;
  readonly warmup: number;
  /** Highs over entryPeriod, lows over exitPeriod. */
  readonly #channel: DonchianChannel;
  #started = false;

  constructor(params: DonchianBreakoutParams) {
    this.params = Object.freeze({ ...params });
    this.warmup = Math.max(params.entryPeriod, params.exitPeriod);
    this.#channel = new DonchianChannel(params.entryPeriod, params.exitPeriod);
  }

  onCandle(ctx: StrategyContext, candle: Candle): readonly Intent[] {
    if (!this.#started) this.#start(ctx, candle);
    const channel = this.#channel;
    const ready = channel.ready;
    const high = channel.upper;
    const low = channel.lower;
    channel.push(candle);
    if (!ready) return NO_INTENTS;
    const close = candle.close;
    if (close > high) {
      if (ctx.positionQty === 0) return [this.#enter(close, high)];
    } else if (close < low) {
      if (ctx.positionQty > 0) return [this.#exit(close, low)];
    }
    return NO_INTENTS;
  }

  // Apart from onCandle: a closure there would make V8 allocate a context on every call.
  #start(ctx: StrategyContext, candle: Candle): void {
    this.#started = true;
    const bar = { high: 0, low: 0 };
    warmUpFromWindow(ctx.candles, candle, (w, ago) => {
      bar.high = w.high(ago);
      bar.low = w.low(ago);
      this.#channel.push(bar);
    });
  }

  #enter(close: number, high: number): Intent {
    const [c, h] = formatPair(close, high);
    const reason = `close ${c} broke above the ${this.params.entryPeriod}-candle high ${h}`;
    const size = this.params.size;
    return size === undefined
      ? { kind: 'enter', side: 'buy', orderType: 'market', reason }
      : { kind: 'enter', side: 'buy', orderType: 'market', quantity: size, reason };
  }

  #exit(close: number, low: number): Intent {
    const [c, l] = formatPair(close, low);
    return { kind: 'exit', orderType: 'market', reason: `close ${c} broke below the ${this.params.exitPeriod}-candle low ${l}` };
  }
}

export function createDonchianBreakout(params: DonchianBreakoutParamsInput = {}, instrument?: Instrument): Strategy<DonchianBreakoutParams> {
  const parsed = parseOrThrow(DONCHIAN_BREAKOUT_ID, donchianBreakoutParamsSchema, params);
  checkQuantityForInstrument(DONCHIAN_BREAKOUT_ID, 'size', parsed.size, instrument);
  return new DonchianBreakoutStrategy(parsed);
}
