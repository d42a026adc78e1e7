import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export type DecisionOutcome = 'approved' | 'denied' | 'skipped';

export const decisionsQuery = (api: KestrelApi, id: string, outcome?: DecisionOutcome) =>
  queryOptions({ queryKey: queryKeys.profiles.decisions(id, outcome), queryFn: () => api.profiles.decisions(id, { limit: 100, ...(outcome ? { outcome } : {}) }) });

/** The bot's latest decisions, newest first ("why no trade"); refetched as `decision` events arrive. */
export function useDecisions(id: string, outcome?: DecisionOutcome) {
  return useQuery(decisionsQuery(useApi(), id, outcome));
}
