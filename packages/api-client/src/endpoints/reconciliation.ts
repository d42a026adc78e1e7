import { reconciliationRunDetailSchema, reconciliationRunPageSchema, type reconciliationRunQuerySchema } from '@kestrel/contracts';
import type { HttpClient, QueryInput } from '../http.ts';

export type ReconciliationRunQuery = QueryInput<typeof reconciliationRunQuerySchema>;

export const reconciliationApi = (http: HttpClient) => ({
  runs: (query: ReconciliationRunQuery = {}) => http.request(reconciliationRunPageSchema, { path: '/api/reconciliation/runs', query }),
  /** One run with every discrepancy it found and what it did about each. */
  run: (id: string) => http.request(reconciliationRunDetailSchema, { path: `/api/reconciliation/runs/${encodeURIComponent(id)}` }),
  start: (exchangeAccountId: string) => http.request(reconciliationRunDetailSchema, { method: 'POST', path: '/api/reconciliation/runs', body: { exchangeAccountId } }),
});
