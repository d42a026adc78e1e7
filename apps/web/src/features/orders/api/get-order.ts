import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const orderQuery = (api: KestrelApi, id: string) => queryOptions({ queryKey: queryKeys.orders.detail(id), queryFn: () => api.orders.get(id) });

/** One order with its lifecycle history and fills. */
export function useOrder(id: string) {
  return useQuery(orderQuery(useApi(), id));
}
