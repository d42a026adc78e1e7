/**
 * # @kestrel/backtester
 *
 * Backtests on the code that trades live: the same strategy objects, trading-core's `decide()`
 * with rules and the risk engine, and the paper exchange's matching engine, driven by a simulated
 * clock over historical candles (`runBacktest`). Deterministic and synchronous: the backend runs
 * it in worker threads; the CLI (`npm run backtest`) runs it in-process.
 */
export { runBacktest, BACKTEST_PROFILE_ID, BACKTEST_TENANT_ID } from './run.ts';
export { computeMetrics, type MetricsInput, type MetricsOutput } from './metrics.ts';
export { BacktestError, type BacktestCode } from './errors.ts';
export type * from './types.ts';
export * from './research/index.ts';
export * from './sweep/index.ts';
