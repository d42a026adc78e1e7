import { z } from 'zod';
import type { Instrument, Strategy } from '@kestrel/trading-core';
import { STRATEGY_CODES, issuesMessage, type StrategyResult } from './errors.ts';
import { DONCHIAN_BREAKOUT_ID, createDonchianBreakout, donchianBreakoutParamsSchema } from './strategies/donchian-breakout.ts';
import { GRID_ID, createGrid, gridParamsSchema } from './strategies/grid.ts';
import { RSI_MEAN_REVERSION_ID, createRsiMeanReversion, rsiMeanReversionParamsSchema } from './strategies/rsi-mean-reversion.ts';
import { SMA_CROSS_ID, createSmaCross, smaCrossParamsSchema } from './strategies/sma-cross.ts';

/** A built-in strategy: what forms and the API show, its parameter schema, and its factory. */
export interface StrategyDefinition<Id extends string = string, S extends z.ZodType = z.ZodType> {
  readonly id: Id;
  readonly name: string;
  readonly description: string;
  /** zod schema of the parameters, with a title, description, bounds and default on each field. */
  readonly paramsSchema: S;
  /**
   * A fresh instance (indicator state lives in it: one per profile or backtest). Validates the
   * parameters (defaults filled in) and throws a StrategyParamsError when they are invalid, or
   * when they cannot work with the given instrument (a size that rounds to 0 at the lot size, grid
   * levels that collapse at the tick size).
   */
  create(params: z.input<S>, instrument?: Instrument): Strategy<z.output<S>>;
}

const define = <Id extends string, S extends z.ZodType>(def: StrategyDefinition<Id, S>): StrategyDefinition<Id, S> => Object.freeze(def);

export const strategies = Object.freeze({
  [SMA_CROSS_ID]: define({
    id: SMA_CROSS_ID,
    name: 'SMA crossover',
    description: 'Long only. Buys when the fast simple moving average of closes crosses above the slow one, sells when it crosses back below.',
    paramsSchema: smaCrossParamsSchema,
    create: createSmaCross,
  }),
  [RSI_MEAN_REVERSION_ID]: define({
    id: RSI_MEAN_REVERSION_ID,
    name: 'RSI mean reversion',
    description: 'Long only. Buys when Wilder’s RSI rises back above the oversold level, sells when it rises above the overbought level.',
    paramsSchema: rsiMeanReversionParamsSchema,
    create: createRsiMeanReversion,
  }),
  [DONCHIAN_BREAKOUT_ID]: define({
    id: DONCHIAN_BREAKOUT_ID,
    name: 'Donchian breakout',
    description: 'Long only. Buys a close above the highest high of the previous candles, sells a close below the lowest low of a shorter window.',
    paramsSchema: donchianBreakoutParamsSchema,
    create: createDonchianBreakout,
  }),
  [GRID_ID]: define({
    id: GRID_ID,
    name: 'Grid',
    description: 'Long only. Keeps buy limit orders at evenly spaced prices below the market and sells each level bought one level higher.',
    paramsSchema: gridParamsSchema,
    create: createGrid,
  }),
} as const);

export type Strategies = typeof strategies;
export type StrategyId = keyof Strategies;
/** Parameters after parsing (defaults filled in), per strategy. */
export type StrategyParams = { [K in StrategyId]: z.output<Strategies[K]['paramsSchema']> };
/** Parameters as a form or the API may send them (fields with defaults may be left out). */
export type StrategyParamsInput = { [K in StrategyId]: z.input<Strategies[K]['paramsSchema']> };
/** A validated choice of strategy and parameters; for a plain string id, a union over the strategies. */
export type StrategyConfig<I extends StrategyId = StrategyId> = { [K in I]: { readonly id: K; readonly params: StrategyParams[K] } }[I];

export const STRATEGY_IDS: readonly StrategyId[] = Object.freeze(Object.keys(strategies) as StrategyId[]);

export function isStrategyId(id: string): id is StrategyId {
  return Object.hasOwn(strategies, id);
}

/** The definition of a built-in strategy; undefined for an unknown id. */
export function getStrategy<I extends StrategyId>(id: I): Strategies[I];
export function getStrategy(id: string): Strategies[StrategyId] | undefined;
export function getStrategy(id: string): Strategies[StrategyId] | undefined {
  return isStrategyId(id) ? strategies[id] : undefined;
}

/**
 * Validates raw parameters (a form, the API, a CLI after converting numbers) against the
 * strategy's schema. Errors are stable: STRATEGY_UNKNOWN, or STRATEGY_PARAMS_INVALID with the
 * zod issues (path = the parameter, message = what is wrong).
 */
export function parseStrategyParams<I extends StrategyId>(id: I, raw: unknown): StrategyResult<StrategyConfig<I>>;
export function parseStrategyParams(id: string, raw: unknown): StrategyResult<StrategyConfig>;
export function parseStrategyParams(id: string, raw: unknown): StrategyResult<StrategyConfig> {
  if (!isStrategyId(id)) {
    return {
      ok: false,
      error: { code: 'STRATEGY_UNKNOWN', message: `${STRATEGY_CODES.STRATEGY_UNKNOWN}: ${JSON.stringify(id)} (known: ${STRATEGY_IDS.join(', ')})`, issues: [] },
    };
  }
  const parsed = (strategies[id].paramsSchema as z.ZodType).safeParse(raw === undefined ? {} : raw);
  if (!parsed.success) {
    return { ok: false, error: { code: 'STRATEGY_PARAMS_INVALID', message: issuesMessage(parsed.error.issues), issues: parsed.error.issues } };
  }
  return { ok: true, value: { id, params: parsed.data } as StrategyConfig };
}

/** A fresh instance from a validated config (see StrategyDefinition.create for what it throws). */
export function createStrategy<I extends StrategyId>(config: StrategyConfig<I>, instrument?: Instrument): Strategy<StrategyParams[I]> {
  const def = strategies[config.id] as unknown as StrategyDefinition<I, z.ZodType<StrategyParams[I], StrategyParamsInput[I]>>;
  return def.create(config.params as StrategyParamsInput[I], instrument);
}

/** JSON Schema (2020-12) of a strategy's parameters as a form fills them in (defaults optional). */
export function strategyParamsJsonSchema(id: StrategyId): Record<string, unknown> {
  return z.toJSONSchema(strategies[id].paramsSchema, { io: 'input' }) as Record<string, unknown>;
}
