import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const coverageQuery = (api: KestrelApi) => queryOptions({ queryKey: queryKeys.marketData.coverage(), queryFn: () => api.marketData.coverage(), staleTime: 60_000 });

/** The stored candles the tenant can read, per symbol and timeframe (refetched when an import succeeds). */
export function useCoverage() {
  return useQuery(coverageQuery(useApi()));
}
