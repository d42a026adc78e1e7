/**
 * # @kestrel/api-client
 *
 * The typed client of Kestrel's backend for the web dashboard and the mobile app (no framework):
 * - `createKestrelClient({ baseUrl })` → `{ session, api, realtime(namespace) }`;
 * - `api.*`: every REST operation, answers parsed with the contracts' zod schemas, failures as
 *   `ApiError` with the server's stable `code`;
 * - `Session`: sign-in, access token in memory, silent refresh, sign-out everywhere on refusal;
 * - `RealtimeClient`: Socket.IO with token, back-off, re-subscription and per-room `seq` gap
 *   detection that asks the app to refetch.
 */
export * from './errors.ts';
export * from './store.ts';
export * from './http.ts';
export * from './session.ts';
export * from './session-transport.ts';
export * from './browser-coordination.ts';
export * from './client.ts';
export type { ProfileAction, DecisionQuery } from './endpoints/profiles.ts';
export type { OrderQuery } from './endpoints/orders.ts';
export type { AuditQuery } from './endpoints/admin.ts';
export type { ReconciliationRunQuery } from './endpoints/reconciliation.ts';
export type { BacktestListQuery, BacktestRequest, SweepRequest } from './endpoints/backtests.ts';
export type { StoredCandleQuery } from './endpoints/market-data.ts';
export type { ResearchCorrelationInput, ResearchIndicatorQuery, ResearchSeasonalityQuery, ResearchStatsInput } from './endpoints/research.ts';
export * from './realtime/realtime-client.ts';
export * from './realtime/seq-tracker.ts';
export { backoffDelay } from './realtime/backoff.ts';
