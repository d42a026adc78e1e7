/**
 * # @kestrel/strategies
 *
 * Built-in strategies and the streaming indicators they use, run unchanged by backtest, paper and
 * live trading. A strategy implements trading-core's `Strategy`: `onCandle(ctx, candle)` returns
 * intents, usually the shared `NO_INTENTS`, and allocates nothing unless it signals.
 *
 * - `strategies` (registry), `getStrategy(id)`, `parseStrategyParams(id, raw)` (stable errors
 *   STRATEGY_UNKNOWN / STRATEGY_PARAMS_INVALID), `createStrategy({ id, params }, instrument?)`,
 *   `strategyParamsJsonSchema(id)` for forms.
 * - Indicators (`Sma`, `Ema`, `Rsi`, `RollingMax`, `RollingMin`, `DonchianChannel`, `Atr`): O(1)
 *   per update, preallocated; `series(...)` for whole arrays.
 */
export * from './indicators/index.ts';
export { STRATEGY_CODES, StrategyParamsError, type StrategyCode, type StrategyError, type StrategyParamIssue, type StrategyResult } from './errors.ts';
export {
  strategies,
  STRATEGY_IDS,
  isStrategyId,
  getStrategy,
  parseStrategyParams,
  createStrategy,
  strategyParamsJsonSchema,
  type StrategyDefinition,
  type Strategies,
  type StrategyId,
  type StrategyParams,
  type StrategyParamsInput,
  type StrategyConfig,
} from './registry.ts';
export { SMA_CROSS_ID, smaCrossParamsSchema, createSmaCross, type SmaCrossParams, type SmaCrossParamsInput } from './strategies/sma-cross.ts';
export {
  RSI_MEAN_REVERSION_ID,
  rsiMeanReversionParamsSchema,
  createRsiMeanReversion,
  type RsiMeanReversionParams,
  type RsiMeanReversionParamsInput,
} from './strategies/rsi-mean-reversion.ts';
export {
  DONCHIAN_BREAKOUT_ID,
  donchianBreakoutParamsSchema,
  createDonchianBreakout,
  type DonchianBreakoutParams,
  type DonchianBreakoutParamsInput,
} from './strategies/donchian-breakout.ts';
export { GRID_ID, MAX_GRID_LEVELS, gridParamsSchema, createGrid, type GridParams, type GridParamsInput } from './strategies/grid.ts';
