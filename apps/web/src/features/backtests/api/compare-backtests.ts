import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const comparisonQuery = (api: KestrelApi, ids: readonly string[]) =>
  // Completed runs do not change: fetched once.
  queryOptions({ queryKey: queryKeys.backtests.compare(ids), queryFn: () => api.backtests.compare(ids), staleTime: Infinity });

/** Completed backtests side by side: metrics and equity curves, in the order of `ids`. */
export function useComparison(ids: readonly string[]) {
  return useQuery(comparisonQuery(useApi(), ids));
}
