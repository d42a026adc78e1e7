import type { BacktestConfig, BacktestMarket, BacktestMetrics, BacktestProgress, BacktestResult } from '@kestrel/backtester';

/**
 * Messages between the backend and a backtest worker thread. A worker first gets its markets
 * (candles transferred for one backtest, shared for a sweep's workers), then runs one task at a
 * time; it answers each with progress messages and a final `done` or `failed`.
 */

/** A run's configuration without its candles (the worker already holds those). */
export type TaskConfig = Omit<BacktestConfig, 'markets' | 'strategyFactory'>;

export type ToWorker =
  | { readonly type: 'markets'; readonly markets: readonly BacktestMarket[] }
  | {
      readonly type: 'run';
      readonly task: number;
      readonly config: TaskConfig;
      /** Metrics only (a sweep's combinations), or the whole result as stored (lists capped). */
      readonly detail: 'metrics' | 'full';
      readonly progressEveryBars: number;
    };

/** What a sweep keeps of one combination. */
export interface MetricsOnly {
  readonly bars: number;
  readonly metrics: BacktestMetrics;
}
/** A stored result: lists of trades, orders and fills capped, with their totals. */
export type StoredResult = BacktestResult & { readonly counts: { readonly trades: number; readonly orders: number; readonly fills: number } };

export interface TaskError {
  readonly code: string;
  readonly message: string;
  /** Which parameter and what is wrong (STRATEGY_PARAMS_INVALID). */
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}

export type FromWorker =
  | ({ readonly type: 'progress'; readonly task: number } & BacktestProgress)
  | { readonly type: 'done'; readonly task: number; readonly result: MetricsOnly | StoredResult }
  | { readonly type: 'failed'; readonly task: number; readonly error: TaskError };
