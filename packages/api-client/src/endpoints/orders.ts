import {
  IDEMPOTENCY_KEY_HEADER,
  ledgerBalancesSchema,
  orderDetailSchema,
  orderPageSchema,
  orderSchema,
  placeOrderResponseSchema,
  positionListSchema,
  type PlaceOrderRequest,
  type orderQuerySchema,
} from '@kestrel/contracts';
import type { HttpClient, QueryInput } from '../http.ts';

export type OrderQuery = QueryInput<typeof orderQuerySchema>;

export const ordersApi = (http: HttpClient) => ({
  list: (query: OrderQuery = {}) => http.request(orderPageSchema, { path: '/api/orders', query }),
  /** One order with its lifecycle history and fills. */
  get: (id: string) => http.request(orderDetailSchema, { path: `/api/orders/${encodeURIComponent(id)}` }),
  /** `idempotencyKey` is unique per intended order: a retry with the same key never places a second one. */
  place: (body: PlaceOrderRequest, idempotencyKey: string) =>
    http.request(placeOrderResponseSchema, { method: 'POST', path: '/api/orders', body, headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey } }),
  cancel: (id: string) => http.request(orderSchema, { method: 'POST', path: `/api/orders/${encodeURIComponent(id)}/cancel`, body: {} }),
  positions: (profileId?: string) => http.request(positionListSchema, { path: '/api/positions', query: { profileId } }),
  balances: (profileId: string) => http.request(ledgerBalancesSchema, { path: '/api/ledger/balances', query: { profileId } }),
});
