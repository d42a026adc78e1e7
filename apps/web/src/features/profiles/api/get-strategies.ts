import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const strategiesQuery = (api: KestrelApi) => queryOptions({ queryKey: queryKeys.strategies, queryFn: () => api.profiles.strategies(), staleTime: Infinity });

/** The built-in strategies and the JSON Schema of their parameters (fixed while the server runs). */
export function useStrategies() {
  return useQuery(strategiesQuery(useApi()));
}
