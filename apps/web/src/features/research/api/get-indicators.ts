import { keepPreviousData, queryOptions, useQueries } from '@tanstack/react-query';
import type { KestrelApi, ResearchIndicatorQuery } from '@kestrel/api-client';
import type { ResearchIndicatorSeries } from '@kestrel/contracts';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

/** Historical series change only when candles are imported (and that refetches them): kept for a while. */
export const RESEARCH_STALE_MS = 5 * 60_000;

export const indicatorQuery = (api: KestrelApi, query: ResearchIndicatorQuery) =>
  queryOptions({ queryKey: queryKeys.research.indicator(query), queryFn: () => api.research.indicators(query), staleTime: RESEARCH_STALE_MS, placeholderData: keepPreviousData });

type Results = Array<{ data: ResearchIndicatorSeries | undefined; error: Error | null }>;
// Module-level, so TanStack Query keeps the combined value stable while no series changes.
const combine = (results: Results) => ({ series: results.map((r) => r.data), errors: results.map((r) => r.error) });

/** Several indicator series at once (one per overlay on the chart), in the order asked, with each one's error. */
export function useIndicators(queries: ResearchIndicatorQuery[]) {
  const api = useApi();
  return useQueries({ queries: queries.map((q) => indicatorQuery(api, q)), combine });
}
