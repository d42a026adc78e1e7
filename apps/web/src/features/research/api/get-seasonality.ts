import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi, ResearchSeasonalityQuery } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';
import { RESEARCH_STALE_MS } from './get-indicators.ts';

export const seasonalityQuery = (api: KestrelApi, query: ResearchSeasonalityQuery) =>
  queryOptions({ queryKey: queryKeys.research.seasonality(query), queryFn: () => api.research.seasonality(query), staleTime: RESEARCH_STALE_MS });

/** Mean return by UTC hour of day and ISO day of week. */
export function useSeasonality(query: ResearchSeasonalityQuery) {
  return useQuery({ ...seasonalityQuery(useApi(), query), placeholderData: keepPreviousData });
}
