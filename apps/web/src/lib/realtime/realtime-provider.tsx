import { createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ConnectionState, RealtimeClient } from '@kestrel/api-client';
import { useKestrel, useSession } from '../kestrel.tsx';
import { InvalidationBatch, syncAdminCache, syncTradingCache, TickClock } from './cache-sync.ts';

interface Realtime {
  trading: RealtimeClient<'/trading'> | null;
  admin: RealtimeClient<'/admin'> | null;
  ticks: TickClock;
}

const RealtimeContext = createContext<Realtime>({ trading: null, admin: null, ticks: new TickClock() });

/**
 * Opens the backend's sockets while someone is signed in (/trading for everyone, /admin for admins
 * and operators), keeps the query cache in step with them, and closes them — and forgets every
 * cached answer — when the session ends.
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const kestrel = useKestrel();
  const queryClient = useQueryClient();
  const session = useSession();
  const userId = session.status === 'signed-in' ? session.user.id : null;
  const isAdmin = session.status === 'signed-in' && session.user.roles.some((r) => r === 'admin' || r === 'operator');
  const [value, setValue] = useState<Realtime>(() => ({ trading: null, admin: null, ticks: new TickClock() }));

  useEffect(() => {
    if (!userId) {
      queryClient.clear();
      return;
    }
    const ticks = new TickClock();
    const batch = new InvalidationBatch(queryClient);
    const trading = kestrel.realtime('/trading');
    const admin = isAdmin ? kestrel.realtime('/admin') : null;
    const offs = [syncTradingCache(trading, queryClient, batch, ticks), ...(admin ? [syncAdminCache(admin, batch)] : [])];
    trading.connect();
    admin?.connect();
    setValue({ trading, admin, ticks });
    return () => {
      offs.forEach((off) => off());
      trading.close();
      admin?.close();
      batch.flush();
    };
  }, [kestrel, queryClient, userId, isAdmin]);

  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): Realtime {
  return useContext(RealtimeContext);
}

const IDLE: ConnectionState = { status: 'idle', since: 0, attempt: 0, error: null };
const noop = () => () => {};

/** The /trading socket's state, for the connection indicator. */
export function useConnection(): ConnectionState {
  const { trading } = useRealtime();
  return useSyncExternalStore(trading?.state.subscribe ?? noop, trading?.state.get ?? (() => IDLE));
}

/** Joins `market:<symbol>` while the calling component is mounted (ticks and candles reach the cache). */
export function useMarketFeed(symbol: string | undefined): void {
  const { trading, ticks } = useRealtime();
  useEffect(() => {
    if (!trading || !symbol) return;
    ticks.watch(symbol);
    return trading.subscribeMarket(symbol);
  }, [trading, ticks, symbol]);
}

/** Milliseconds since the last tick of `symbol` (or since it was first watched), re-evaluated every second; null when not watched. */
export function useTickAge(symbol: string | undefined): number | null {
  const { ticks } = useRealtime();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, []);
  return useMemo(() => {
    const last = symbol ? ticks.lastTick(symbol) : undefined;
    return last === undefined ? null : Math.max(0, now - last);
  }, [ticks, symbol, now]);
}
