import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { KestrelClient, SessionState } from '@kestrel/api-client';
import type { Role } from '@kestrel/contracts';

const KestrelContext = createContext<KestrelClient | null>(null);

/** Gives the tree one client (session, REST API, sockets); tests pass a client of their own. */
export function KestrelProvider({ client, children }: { client: KestrelClient; children: ReactNode }) {
  return <KestrelContext.Provider value={client}>{children}</KestrelContext.Provider>;
}

export function useKestrel(): KestrelClient {
  const client = useContext(KestrelContext);
  if (!client) throw new Error('useKestrel needs a <KestrelProvider> above it');
  return client;
}

export function useApi() {
  return useKestrel().api;
}

export function useSession(): SessionState {
  const { session } = useKestrel();
  return useSyncExternalStore(session.state.subscribe, session.state.get);
}

/** The signed-in user's roles; empty when signed out. */
export function useRoles(): readonly Role[] {
  const s = useSession();
  return s.status === 'signed-in' ? s.user.roles : [];
}

/** Whether the user holds one of these roles: controls the server would refuse are not shown at all. */
export function useCan(...roles: Role[]): boolean {
  const mine = useRoles();
  return roles.some((r) => mine.includes(r));
}

/** Who may act on bots and orders (viewers only watch). */
export const TRADING_ROLES: Role[] = ['trader', 'admin', 'operator'];
export const ADMIN_ROLES: Role[] = ['admin', 'operator'];
/** Who may submit, cancel and delete backtests and sweeps, and import candles (the backend's own list). */
export const BACKTEST_ROLES: Role[] = ['trader', 'admin'];
