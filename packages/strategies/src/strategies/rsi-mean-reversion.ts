import { z } from 'zod';
import { NO_INTENTS, type Candle, type Instrument, type Intent, type Strategy, type StrategyContext } from '@kestrel/trading-core';
import { parseOrThrow } from '../errors.ts';
import { checkQuantityForInstrument } from './instrument-checks.ts';
import { Rsi } from '../indicators/rsi.ts';
import { formatNumber } from './format.ts';
import { warmUpFromWindow } from './warm-up.ts';
import { PARAMS_OBJECT, periodParam, sizeParam } from './params.ts';

export const RSI_MEAN_REVERSION_ID = 'rsi-mean-reversion';

const level = (name: string, title: string, description: string, def: number) =>
  z
    .number({ error: `${name} must be a number` })
    .gt(0, { error: `${name} must be greater than 0` })
    .lt(100, { error: `${name} must be less than 100` })
    .default(def)
    .meta({ title, description });

export const rsiMeanReversionParamsSchema = z
  .object(
    {
      period: periodParam('period', { title: 'RSI period', description: 'Candles in Wilder’s RSI.' }, 14, 2),
      oversold: level('oversold', 'Oversold level', 'Buy when the RSI rises back above this level.', 30),
      overbought: level('overbought', 'Overbought level', 'Sell when the RSI rises above this level; greater than the oversold level.', 70),
      size: sizeParam(),
    },
    PARAMS_OBJECT,
  )
  .superRefine((p, ctx) => {
    if (p.oversold >= p.overbought) {
      ctx.addIssue({ code: 'custom', path: ['oversold'], message: `oversold (${p.oversold}) must be less than overbought (${p.overbought})` });
    }
  })
  .meta({
    title: 'RSI mean reversion',
    description: 'Long only: buys when the RSI climbs back out of the oversold zone, sells when it reaches the overbought zone.',
  });

export type RsiMeanReversionParams = z.output<typeof rsiMeanReversionParamsSchema>;
export type RsiMeanReversionParamsInput = z.input<typeof rsiMeanReversionParamsSchema>;

/**
 * RSI mean reversion, long only. With r the RSI(period) of closes on this candle and r′ the one on
 * the previous candle (both defined: the first candle that can signal is at index period + 1,
 * `warmup` = period + 1):
 * - r′ ≤ oversold and r > oversold (crossing up through oversold) → `enter` when flat;
 * - r′ ≤ overbought and r > overbought (crossing up through overbought) → `exit` when long.
 * Same crossing rule as sma-cross (equality is "not yet crossed"); the entry is checked first, and
 * the two cannot both act on one candle because one needs flat and the other long. Warms up from
 * ctx.candles on the first call, like sma-cross.
 */
class RsiMeanReversionStrategy implements Strategy<RsiMeanReversionParams> {
  readonly id = RSI_MEAN_REVERSION_ID;
  readonly params: RsiMeanReversionParams;
  readonly warmup: number;
  readonly #rsi: Rsi;
  #started = false;

  constructor(params: RsiMeanReversionParams) {
    this.params = Object.freeze({ ...params });
    this.warmup = params.period + 1;
    this.#rsi = new Rsi(params.period);
  }

  onCandle(ctx: StrategyContext, candle: Candle): readonly Intent[] {
    if (!this.#started) this.#start(ctx, candle);
    const prev = this.#rsi.value;
    const rsi = this.#rsi.update(candle.close);
    const { oversold, overbought } = this.params;
    if (prev <= oversold && rsi > oversold) {
      if (ctx.positionQty === 0) return [this.#enter(prev, rsi)];
    }
    if (prev <= overbought && rsi > overbought) {
      if (ctx.positionQty > 0) return [this.#exit(prev, rsi)];
    }
    return NO_INTENTS;
  }

  // Apart from onCandle: a closure there would make V8 allocate a context on every call.
  #start(ctx: StrategyContext, candle: Candle): void {
    this.#started = true;
    warmUpFromWindow(ctx.candles, candle, (w, ago) => this.#rsi.update(w.close(ago)));
  }

  #enter(prev: number, rsi: number): Intent {
    const reason = `RSI ${this.params.period} crossed above oversold ${this.params.oversold} (${formatNumber(prev, 4)} → ${formatNumber(rsi, 4)})`;
    const size = this.params.size;
    return size === undefined
      ? { kind: 'enter', side: 'buy', orderType: 'market', reason }
      : { kind: 'enter', side: 'buy', orderType: 'market', quantity: size, reason };
  }

  #exit(prev: number, rsi: number): Intent {
    return {
      kind: 'exit',
      orderType: 'market',
      reason: `RSI ${this.params.period} crossed above overbought ${this.params.overbought} (${formatNumber(prev, 4)} → ${formatNumber(rsi, 4)})`,
    };
  }
}

export function createRsiMeanReversion(params: RsiMeanReversionParamsInput = {}, instrument?: Instrument): Strategy<RsiMeanReversionParams> {
  const parsed = parseOrThrow(RSI_MEAN_REVERSION_ID, rsiMeanReversionParamsSchema, params);
  checkQuantityForInstrument(RSI_MEAN_REVERSION_ID, 'size', parsed.size, instrument);
  return new RsiMeanReversionStrategy(parsed);
}
