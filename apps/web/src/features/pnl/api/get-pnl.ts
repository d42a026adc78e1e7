import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const tenantPnlQuery = (api: KestrelApi) => queryOptions({ queryKey: queryKeys.pnl.tenant(), queryFn: () => api.pnl.tenant(7) });
export const profilePnlQuery = (api: KestrelApi, id: string) => queryOptions({ queryKey: queryKeys.pnl.profile(id), queryFn: () => api.profiles.pnl(id, 7) });

/**
 * The tenant's P&L per currency, every bot's summary and positions. Refetched after fills (pnl and
 * position events); marks move with the market, so it is also re-read every 15 s while shown.
 */
export function useTenantPnl() {
  return useQuery({ ...tenantPnlQuery(useApi()), refetchInterval: 15_000 });
}

export function useProfilePnl(id: string) {
  return useQuery({ ...profilePnlQuery(useApi(), id), refetchInterval: 15_000 });
}
