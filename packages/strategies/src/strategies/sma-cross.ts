import { z } from 'zod';
import { NO_INTENTS, type Candle, type Instrument, type Intent, type Strategy, type StrategyContext } from '@kestrel/trading-core';
import { parseOrThrow } from '../errors.ts';
import { checkQuantityForInstrument } from './instrument-checks.ts';
import { Sma } from '../indicators/sma.ts';
import { formatPair } from './format.ts';
import { warmUpFromWindow } from './warm-up.ts';
import { PARAMS_OBJECT, MAX_PERIOD, periodParam, sizeParam } from './params.ts';

export const SMA_CROSS_ID = 'sma-cross';

export const smaCrossParamsSchema = z
  .object(
    {
      fast: periodParam('fast', { title: 'Fast SMA period', description: 'Candles in the fast simple moving average of closes.' }, 10, 1, MAX_PERIOD - 1),
      slow: periodParam('slow', { title: 'Slow SMA period', description: 'Candles in the slow simple moving average of closes; greater than the fast period.' }, 30, 2),
      size: sizeParam(),
    },
    PARAMS_OBJECT,
  )
  .superRefine((p, ctx) => {
    if (p.fast >= p.slow) ctx.addIssue({ code: 'custom', path: ['fast'], message: `fast (${p.fast}) must be less than slow (${p.slow})` });
  })
  .meta({
    title: 'SMA crossover',
    description: 'Long only: buys when the fast moving average crosses above the slow one, sells when it crosses back below.',
  });

export type SmaCrossParams = z.output<typeof smaCrossParamsSchema>;
export type SmaCrossParamsInput = z.input<typeof smaCrossParamsSchema>;

/**
 * SMA crossover, long only: the reference configuration of the backtester.
 *
 * On each candle the two SMAs of closes are updated. With f, s the averages on this candle and
 * f′, s′ those on the previous one (all four defined, so the first candle that can signal is the
 * one at index `slow`, 0-based, and `warmup` = slow):
 * - cross above: f′ ≤ s′ and f > s → `enter` (market buy, `size` or the stake) when flat
 *   (positionQty = 0);
 * - cross below: f′ ≥ s′ and f < s → `exit` (market, the whole position) when long
 *   (positionQty > 0).
 * Otherwise nothing (NO_INTENTS). This is TradingView's `crossover`/`crossunder` (and qtpylib's
 * `crossed_above`/`crossed_below`). Equality counts as "not crossed yet": below → equal gives no
 * signal; leaving equality is the cross, in the direction the averages leave it. So below → equal
 * → above and above → equal → above are both crosses above on the third candle (a touch from
 * above that bounces up re-enters if the position was closed in between), and above → equal →
 * below and below → equal → below are both crosses below. Exact float comparisons, no tolerance;
 * the averages are `Sma` values (compensated sums, see sma.ts: exact ties in real prices stay
 * ties).
 *
 * onCandle allocates only when it signals. On its first call it warms its averages up from the
 * older candles in ctx.candles, if the host holds any (see warm-up.ts).
 */
class SmaCrossStrategy implements Strategy<SmaCrossParams> {
  readonly id = SMA_CROSS_ID;
  readonly params: SmaCrossParams;
  readonly warmup: number;
  readonly #fast: Sma;
  readonly #slow: Sma;
  #started = false;

  constructor(params: SmaCrossParams) {
    this.params = Object.freeze({ ...params });
    this.warmup = params.slow;
    this.#fast = new Sma(params.fast);
    this.#slow = new Sma(params.slow);
  }

  onCandle(ctx: StrategyContext, candle: Candle): readonly Intent[] {
    if (!this.#started) this.#start(ctx, candle);
    // The averages as of the previous candle (NaN until defined).
    const pf = this.#fast.value;
    const ps = this.#slow.value;
    const fast = this.#fast.update(candle.close);
    const slow = this.#slow.update(candle.close);
    // While any of the four is NaN every comparison below is false.
    if (pf <= ps && fast > slow) {
      if (ctx.positionQty === 0) return [this.#enter(fast, slow)];
    } else if (pf >= ps && fast < slow) {
      if (ctx.positionQty > 0) return [this.#exit(fast, slow)];
    }
    return NO_INTENTS;
  }

  // Apart from onCandle: a closure there would make V8 allocate a context on every call.
  #start(ctx: StrategyContext, candle: Candle): void {
    this.#started = true;
    warmUpFromWindow(ctx.candles, candle, (w, ago) => {
      this.#fast.update(w.close(ago));
      this.#slow.update(w.close(ago));
    });
  }

  #enter(fast: number, slow: number): Intent {
    const [f, s] = formatPair(fast, slow);
    const reason = `SMA ${this.params.fast} crossed above SMA ${this.params.slow} (fast ${f} > slow ${s})`;
    const size = this.params.size;
    return size === undefined
      ? { kind: 'enter', side: 'buy', orderType: 'market', reason }
      : { kind: 'enter', side: 'buy', orderType: 'market', quantity: size, reason };
  }

  #exit(fast: number, slow: number): Intent {
    const [f, s] = formatPair(fast, slow);
    return { kind: 'exit', orderType: 'market', reason: `SMA ${this.params.fast} crossed below SMA ${this.params.slow} (fast ${f} < slow ${s})` };
  }
}

/** Validates `params` (defaults filled in; throws StrategyParamsError) and returns a fresh instance. */
export function createSmaCross(params: SmaCrossParamsInput = {}, instrument?: Instrument): Strategy<SmaCrossParams> {
  const parsed = parseOrThrow(SMA_CROSS_ID, smaCrossParamsSchema, params);
  checkQuantityForInstrument(SMA_CROSS_ID, 'size', parsed.size, instrument);
  return new SmaCrossStrategy(parsed);
}
