import { exchangeAccountListSchema, exchangeAccountSchema, type CreateExchangeAccountRequest } from '@kestrel/contracts';
import type { HttpClient } from '../http.ts';

/** Exchange accounts never come back with their key or secret: at most `apiKeyLast4`. */
export const exchangeAccountsApi = (http: HttpClient) => ({
  list: () => http.request(exchangeAccountListSchema, { path: '/api/exchange-accounts' }),
  create: (body: CreateExchangeAccountRequest) => http.request(exchangeAccountSchema, { method: 'POST', path: '/api/exchange-accounts', body }),
  remove: (id: string) => http.requestVoid({ method: 'DELETE', path: `/api/exchange-accounts/${encodeURIComponent(id)}` }),
});
