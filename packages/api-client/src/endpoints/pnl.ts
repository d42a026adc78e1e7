import { tenantPnlSchema } from '@kestrel/contracts';
import type { HttpClient } from '../http.ts';

export const pnlApi = (http: HttpClient) => ({
  /** Every profile of the tenant summed per quote currency, with per-day rows for `days` UTC days. */
  tenant: (days?: number) => http.request(tenantPnlSchema, { path: '/api/pnl', query: { days } }),
});
