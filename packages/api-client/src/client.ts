import type { SocketNamespace } from '@kestrel/contracts';
import { adminApi } from './endpoints/admin.ts';
import { backtestsApi, sweepsApi } from './endpoints/backtests.ts';
import { exchangeAccountsApi } from './endpoints/exchange-accounts.ts';
import { marketApi } from './endpoints/market.ts';
import { marketDataApi } from './endpoints/market-data.ts';
import { ordersApi } from './endpoints/orders.ts';
import { pnlApi } from './endpoints/pnl.ts';
import { profilesApi } from './endpoints/profiles.ts';
import { reconciliationApi } from './endpoints/reconciliation.ts';
import { researchApi } from './endpoints/research.ts';
import { tradingControlApi } from './endpoints/trading-control.ts';
import { userApi } from './endpoints/user.ts';
import { HttpClient } from './http.ts';
import { RealtimeClient, type RealtimeClientOptions } from './realtime/realtime-client.ts';
import { Session, type SessionCoordination } from './session.ts';
import { cookieSessionTransport, type SessionTransport } from './session-transport.ts';

/** Every REST operation of the backend, grouped by resource; each answer parsed with its contract. */
export function createApi(http: HttpClient) {
  return {
    user: userApi(http),
    tradingControl: tradingControlApi(http),
    profiles: profilesApi(http),
    orders: ordersApi(http),
    market: marketApi(http),
    pnl: pnlApi(http),
    admin: adminApi(http),
    exchangeAccounts: exchangeAccountsApi(http),
    reconciliation: reconciliationApi(http),
    marketData: marketDataApi(http),
    backtests: backtestsApi(http),
    sweeps: sweepsApi(http),
    research: researchApi(http),
  };
}
export type KestrelApi = ReturnType<typeof createApi>;

export interface KestrelClientOptions {
  /** Backend origin; '' when the page is served by the backend. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Where the refresh token lives; default the backend's HttpOnly cookie (browsers). */
  transport?: (http: HttpClient) => SessionTransport;
  coordination?: SessionCoordination;
  realtime?: Pick<RealtimeClientOptions<SocketNamespace>, 'backoff' | 'transports' | 'ackTimeoutMs'>;
}

export interface KestrelClient {
  http: HttpClient;
  session: Session;
  api: KestrelApi;
  /** A new socket client for one namespace, authenticated by the session. */
  realtime<N extends SocketNamespace>(namespace: N): RealtimeClient<N>;
}

/** The session, the REST API and socket clients of one backend, wired together. */
export function createKestrelClient(opts: KestrelClientOptions): KestrelClient {
  const http = new HttpClient({ baseUrl: opts.baseUrl, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const session = new Session({ transport: (opts.transport ?? cookieSessionTransport)(http), ...(opts.coordination ? { coordination: opts.coordination } : {}) });
  http.useTokens(session);
  return {
    http,
    session,
    api: createApi(http),
    realtime: (namespace) => new RealtimeClient({ baseUrl: http.baseUrl, namespace, tokens: session, ...opts.realtime }),
  };
}
