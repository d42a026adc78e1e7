import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AuditQuery, KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const auditQuery = (api: KestrelApi, query: AuditQuery) => queryOptions({ queryKey: queryKeys.admin.audit(query), queryFn: () => api.admin.audit(query) });

/** The audit log, newest first; new entries arrive over the /admin socket and refetch it. */
export function useAudit(query: AuditQuery) {
  return useQuery({ ...auditQuery(useApi(), query), placeholderData: keepPreviousData });
}
