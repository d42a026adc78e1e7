import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { BacktestListQuery, KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys, type RunKind } from '../../../lib/query-keys.ts';

export const runsQuery = (api: KestrelApi, kind: RunKind, query: BacktestListQuery) =>
  queryOptions({ queryKey: queryKeys.backtests.list(kind, query), queryFn: () => (kind === 'backtest' ? api.backtests.list(query) : api.sweeps.list(query)) });

/** A page of the tenant's backtests or sweeps, newest first; `backtest.progress` patches their status and progress in place. */
export function useRuns(kind: RunKind, query: BacktestListQuery) {
  return useQuery({ ...runsQuery(useApi(), kind, query), placeholderData: keepPreviousData });
}
