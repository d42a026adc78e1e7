import type { BacktestProgressView, BacktestRankMetric, SweepResultView } from '@kestrel/contracts';
import type { BacktestMarket, BacktestMetrics } from '@kestrel/backtester';
import type { ParamCombination, TimeRange } from '@kestrel/backtester';
import type { StoredResult, TaskConfig } from './worker/protocol.ts';

/** A backtest as the queue runs it: its candles (loaded at submission) and its configuration. */
export interface BacktestJob {
  readonly kind: 'backtest';
  readonly id: string;
  readonly tenantId: string;
  readonly markets: readonly BacktestMarket[];
  readonly config: TaskConfig;
}

/** A sweep: one configuration, run once per combination of parameters, then its best ones out of sample. */
export interface SweepJob {
  readonly kind: 'sweep';
  readonly id: string;
  readonly tenantId: string;
  readonly markets: readonly BacktestMarket[];
  /** Everything but the strategy parameters and the range. */
  readonly base: Omit<TaskConfig, 'from' | 'to'>;
  /** Whole parameter sets, each already accepted by the strategy's schema. */
  readonly combinations: readonly ParamCombination[];
  readonly skipped: SweepResultView['skipped'];
  readonly inSample: TimeRange;
  readonly outOfSample: TimeRange | null;
  readonly topN: number;
  readonly rankBy: BacktestRankMetric;
}

export type Job = BacktestJob | SweepJob;
export interface RunError {
  code: string;
  message: string;
}

/** What a finished job stores: its headline metrics (lists, comparisons), its whole result, and its final progress. */
export type JobOutcome = ({ kind: 'backtest'; metrics: BacktestMetrics; result: StoredResult } | { kind: 'sweep'; metrics: BacktestMetrics; result: SweepResultView }) & { progress: BacktestProgressView };

/**
 * Where the queue reports a job's life (the service: the database row, then a socket push). The
 * database decides races: each call changes the run only from the status it expects.
 */
export interface RunSink {
  /** queued → running; false when the run is no longer queued (it was cancelled): the queue drops it. */
  started(job: Job): Promise<boolean>;
  /** Stores and pushes progress; false when the run is no longer running (cancelled, maybe through another instance): the queue stops it. */
  progress(job: Job, progress: BacktestProgressView): Promise<boolean>;
  completed(job: Job, outcome: JobOutcome): Promise<void>;
  failed(job: Job, error: RunError): Promise<void>;
}
