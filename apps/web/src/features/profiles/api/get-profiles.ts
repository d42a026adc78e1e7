import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const profilesQuery = (api: KestrelApi) => queryOptions({ queryKey: queryKeys.profiles.list(), queryFn: () => api.profiles.list() });

/** Every bot of the tenant with its state; `profile.state` events patch it in place. */
export function useProfiles() {
  return useQuery(profilesQuery(useApi()));
}
