import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi, OrderQuery } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const ordersQuery = (api: KestrelApi, query: OrderQuery) => queryOptions({ queryKey: queryKeys.orders.list(query), queryFn: () => api.orders.list(query) });

/** One page of orders, newest first; refetched (in batches) as order and fill events arrive. */
export function useOrders(query: OrderQuery) {
  return useQuery({ ...ordersQuery(useApi(), query), placeholderData: keepPreviousData });
}
