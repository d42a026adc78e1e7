import type { BacktestDetail, BacktestMetricsView, BacktestProgressView, BacktestResultView, BacktestSummary, SweepDetail, SweepResultView } from '@kestrel/contracts';
import type { RunSpec } from './run-config.ts';
import type { RunRow, RunSummaryRow } from './run-store.ts';

/** Stored rows as the API shows them (the jsonb columns hold what run-config.ts and the queue wrote). */

export function summaryOf(r: RunSummaryRow): BacktestSummary {
  const spec = r.config as unknown as RunSpec;
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    status: r.status,
    profileId: r.profileId,
    strategy: spec.strategy,
    params: spec.params,
    symbols: spec.symbols,
    timeframe: spec.timeframe,
    from: spec.from,
    to: spec.to,
    progress: r.progress as unknown as BacktestProgressView,
    metrics: (r.metrics as BacktestMetricsView | null) ?? null,
    error: r.error ?? null,
    createdBy: r.createdByUsername,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

export function backtestDetailOf(r: RunRow): BacktestDetail {
  const spec = r.config as unknown as RunSpec;
  return { ...summaryOf(r), kind: 'backtest', settings: spec.settings, result: (r.result as BacktestResultView | null) ?? null };
}

export function sweepDetailOf(r: RunRow): SweepDetail {
  const spec = r.config as unknown as RunSpec;
  const sweep = spec.sweep!;
  return {
    ...summaryOf(r),
    kind: 'sweep',
    settings: spec.settings,
    space: sweep.space,
    rankBy: sweep.rankBy,
    topN: sweep.topN,
    outOfSample: sweep.outOfSample,
    result: (r.result as SweepResultView | null) ?? null,
  };
}
