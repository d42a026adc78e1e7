import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const symbolsQuery = (api: KestrelApi) => queryOptions({ queryKey: queryKeys.market.symbols(), queryFn: () => api.market.symbols(), staleTime: 10 * 60_000 });

/** The symbols of the running market feed with their steps and bar timeframe. */
export function useSymbols() {
  return useQuery(symbolsQuery(useApi()));
}
