import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const profileQuery = (api: KestrelApi, id: string) => queryOptions({ queryKey: queryKeys.profiles.detail(id), queryFn: () => api.profiles.get(id) });

export function useProfile(id: string) {
  return useQuery(profileQuery(useApi(), id));
}
