import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi, ResearchCorrelationInput } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';
import { RESEARCH_STALE_MS } from './get-indicators.ts';

export const correlationQuery = (api: KestrelApi, query: ResearchCorrelationInput) =>
  queryOptions({ queryKey: queryKeys.research.correlation(query), queryFn: () => api.research.correlation(query), staleTime: RESEARCH_STALE_MS });

/** Pearson correlation of returns between 2–20 symbols (only asked for with at least two). */
export function useCorrelation(query: ResearchCorrelationInput) {
  return useQuery({ ...correlationQuery(useApi(), query), enabled: query.symbols.length >= 2, placeholderData: keepPreviousData });
}
