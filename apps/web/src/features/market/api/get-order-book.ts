import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

/** Order books are not pushed: a snapshot every two seconds while the book is on screen. */
export const orderBookQuery = (api: KestrelApi, symbol: string, depth: number) =>
  queryOptions({ queryKey: [...queryKeys.market.orderBook(symbol), depth], queryFn: () => api.market.orderBook(symbol, depth), refetchInterval: 2_000, staleTime: 1_000 });

export function useOrderBook(symbol: string, depth = 12) {
  return useQuery(orderBookQuery(useApi(), symbol, depth));
}
