import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { KestrelApi, ReconciliationRunQuery } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const runsQuery = (api: KestrelApi, query: ReconciliationRunQuery) => queryOptions({ queryKey: queryKeys.admin.runs(query), queryFn: () => api.reconciliation.runs(query) });
export const runQuery = (api: KestrelApi, id: string) => queryOptions({ queryKey: queryKeys.admin.run(id), queryFn: () => api.reconciliation.run(id) });

export function useReconciliationRuns(query: ReconciliationRunQuery) {
  return useQuery({ ...runsQuery(useApi(), query), placeholderData: keepPreviousData });
}

export function useReconciliationRun(id: string) {
  return useQuery(runQuery(useApi(), id));
}

/** Reconciles one exchange account now (admins); the answer is the finished run with its findings. */
export function useStartReconciliation() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({ mutationFn: (exchangeAccountId: string) => api.reconciliation.start(exchangeAccountId), onSuccess: () => client.invalidateQueries({ queryKey: ['admin', 'reconciliation'] }) });
}
