import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const tradingControlQuery = (api: KestrelApi) => queryOptions({ queryKey: queryKeys.tradingControl, queryFn: () => api.tradingControl.get() });

/** The global and tenant kill switches; refetched when a `trading.control` event arrives. */
export function useTradingControl() {
  return useQuery(tradingControlQuery(useApi()));
}
