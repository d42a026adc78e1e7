import { tradingControlSchema, type UpdateTradingControlRequest } from '@kestrel/contracts';
import type { HttpClient } from '../http.ts';

export const tradingControlApi = (http: HttpClient) => ({
  get: () => http.request(tradingControlSchema, { path: '/api/trading/control' }),
  /** Flip the tenant switch (admins) or the global one (operators); a reason is required to turn trading off. */
  update: (body: UpdateTradingControlRequest) => http.request(tradingControlSchema, { method: 'PUT', path: '/api/trading/control', body }),
});
