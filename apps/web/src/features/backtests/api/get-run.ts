import { queryOptions, replaceEqualDeep, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { FINISHED_BACKTEST_STATUSES, type BacktestStatus, type BacktestSummary } from '@kestrel/contracts';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';
import { useConnection } from '../../../lib/realtime/realtime-provider.tsx';
import { isBehind } from '../../../lib/run-progress.ts';

/** How often an unfinished run is re-read while the live connection is down (the socket pushes progress otherwise). */
export const RUN_POLL_MS = 2_000;

export const isFinished = (status: BacktestStatus): boolean => (FINISHED_BACKTEST_STATUSES as readonly BacktestStatus[]).includes(status);

/** A REST answer read before the last `backtest.progress` that reached the cache keeps that newer progress (the bar never jumps back). */
function keepNewerProgress(old: unknown, next: unknown): unknown {
  const [shown, answer] = [old as BacktestSummary | undefined, next as BacktestSummary];
  const late = shown?.id === answer.id && isBehind(shown, { status: answer.status, percent: answer.progress.percent });
  return replaceEqualDeep(old, late ? { ...answer, status: shown.status, progress: shown.progress } : answer);
}

export const backtestQuery = (api: KestrelApi, id: string) =>
  queryOptions({ queryKey: queryKeys.backtests.detail('backtest', id), queryFn: () => api.backtests.get(id), structuralSharing: keepNewerProgress });
export const sweepQuery = (api: KestrelApi, id: string) => queryOptions({ queryKey: queryKeys.backtests.detail('sweep', id), queryFn: () => api.sweeps.get(id), structuralSharing: keepNewerProgress });

/**
 * Polling fallback: while the /trading socket is connected, `backtest.progress` keeps the run up
 * to date (and a sequence gap refetches it); without it, an unfinished run is polled.
 */
function usePollWhileOffline() {
  const live = useConnection().status === 'connected';
  return (data: { status: BacktestStatus } | undefined) => (!live && data && !isFinished(data.status) ? RUN_POLL_MS : false);
}

/** One backtest: status and progress, then its result. */
export function useBacktest(id: string) {
  const poll = usePollWhileOffline();
  return useQuery({ ...backtestQuery(useApi(), id), refetchInterval: (q) => poll(q.state.data) });
}

/** One sweep: status and progress, then its ranking. */
export function useSweep(id: string) {
  const poll = usePollWhileOffline();
  return useQuery({ ...sweepQuery(useApi(), id), refetchInterval: (q) => poll(q.state.data) });
}
