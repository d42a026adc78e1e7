import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi, ResearchStatsInput } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';
import { RESEARCH_STALE_MS } from './get-indicators.ts';

export const statsQuery = (api: KestrelApi, query: ResearchStatsInput) =>
  queryOptions({ queryKey: queryKeys.research.stats(query), queryFn: () => api.research.stats(query), staleTime: RESEARCH_STALE_MS });

/** Return distribution, volatility, Sharpe, Sortino and drawdown of one symbol over a range. */
export function useReturnStats(query: ResearchStatsInput) {
  return useQuery({ ...statsQuery(useApi(), query), placeholderData: keepPreviousData });
}
