// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { createKestrelClient, type KestrelClient, type RealtimeClient } from '@kestrel/api-client';
import { rooms, type Profile, type TickerView, type TradingControl } from '@kestrel/contracts';
import type { BackendDeps } from '@kestrel/backend/app';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { queryKeys } from '../query-keys.ts';
import { InvalidationBatch, syncTradingCache, TickClock } from './cache-sync.ts';

const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

type MarketSource = NonNullable<BackendDeps['market']>;
type MarketEvent = Parameters<Parameters<MarketSource['subscribe']>[0]>[0];
const bar = (time: number, close: number) => ({ time, open: close, high: close, low: close, close, volume: 1 });

/** A market feed the test drives by hand, plugged into the backend where the paper market would be. */
function handFeed() {
  const listeners = new Set<(e: MarketEvent) => void>();
  const source: MarketSource = {
    symbols: () => [{ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.1', lotSize: '0.00001', minQty: '0.00001', minNotional: '5', timeframe: '1s', source: { kind: 'venue', venue: 'test' } }],
    ticker: async () => ({ symbol: 'BTC/USDT', last: 16800, bid: 16799.9, ask: 16800.1, time: Date.now() }) as never,
    candles: async () => [],
    orderBook: async () => ({ symbol: 'BTC/USDT', bids: [], asks: [], time: Date.now() }) as never,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { source, emit: (e: MarketEvent) => listeners.forEach((l) => l(e)) };
}

/**
 * The dashboard's cache against the real backend socket: a sequence gap made by the server
 * refetches what the page shows; bot state changes are patched in place.
 */
describe('query cache kept in step with the /trading socket', () => {
  let stack: TestStack;
  let trader: KestrelClient;
  let admin: KestrelClient;
  let socket: RealtimeClient<'/trading'>;
  let stop: () => void;
  let profile: Profile;
  const cache = new QueryClient();
  const ticks = new TickClock();
  const feed = handFeed();
  const roomsOf = async (username: string) =>
    (await stack.backend.app.kestrel.io.of('/trading').fetchSockets()).find((s) => (s.data as { auth: { username: string } }).auth.username === username)?.rooms ?? new Set<string>();
  const observers: Array<() => void> = [];
  /** Keeps a query active (as a mounted component does): invalidation refetches only active queries. */
  const watch = <T,>(queryKey: readonly unknown[], queryFn: () => Promise<T>) => {
    const observer = new QueryObserver(cache, { queryKey, queryFn, staleTime: Infinity });
    observers.push(observer.subscribe(() => {}));
  };

  beforeAll(async () => {
    stack = await startTestStack({ kind: 'pglite', backendDeps: { market: feed.source } });
    const login = async (username: string) => {
      const c = createKestrelClient({ baseUrl: stack.backend.url });
      await c.session.login({ username, password: `kestrel-${username}-demo` });
      return c;
    };
    trader = await login('trader');
    admin = await login('admin');
    const account = await trader.api.exchangeAccounts.create({ name: 'Paper', kind: 'paper', venue: 'paper' });
    profile = await trader.api.profiles.create({ name: 'Cache bot', exchangeAccountId: account.id, symbol: 'BTC/USDT', timeframe: '1m', strategy: 'sma-cross', strategyParams: {}, rules: {}, riskLimits: {}, capitalAllocation: '1000', mode: 'paper' });
    watch(queryKeys.tradingControl, () => trader.api.tradingControl.get());
    watch(queryKeys.profiles.list(), () => trader.api.profiles.list());
    socket = trader.realtime('/trading');
    stop = syncTradingCache(socket, cache, new InvalidationBatch(cache, 20), ticks);
    socket.connect();
    await until('the socket', () => socket.state.get().status === 'connected');
  });
  afterAll(async () => {
    stop?.();
    socket?.close();
    observers.forEach((off) => off());
    for (const c of [trader, admin]) c?.session.dispose();
    await stack?.close();
  });

  const control = () => cache.getQueryData<TradingControl>(queryKeys.tradingControl);
  const listed = () => cache.getQueryData<{ items: Profile[] }>(queryKeys.profiles.list())?.items.find((p) => p.id === profile.id);

  it('patches a bot’s state in the list as soon as its profile.state event arrives', async () => {
    await until('the list', () => listed()?.status === 'stopped');
    await trader.api.profiles.act(profile.id, 'start');
    await until('running', () => listed()?.status === 'running');
    await trader.api.profiles.act(profile.id, 'pause');
    await until('paused', () => listed()?.status === 'paused');
  });

  it('refetches the kill switch it missed when the next event in the tenant room shows a gap', async () => {
    await until('the switch', () => control()?.effectiveTradingEnabled === true);
    const tenantRoom = rooms.tenant((await trader.api.user.me()).tenantId);
    const server = (await stack.backend.app.kestrel.io.of('/trading').fetchSockets()).find((s) => (s.data as { auth: { username: string } }).auth.username === 'trader');
    server!.leave(tenantRoom);
    await admin.api.tradingControl.update({ scope: 'tenant', tradingEnabled: false, killSwitchReason: 'missed' });
    server!.join(tenantRoom);
    await new Promise((r) => setTimeout(r, 200));
    expect(control()?.effectiveTradingEnabled).toBe(true);

    // A harmless change makes the next tenant event: its seq is two ahead, so the page refetches.
    await trader.api.profiles.update(profile.id, { name: 'Cache bot 2' });
    await until('the refetched switch', () => control()?.effectiveTradingEnabled === false);
    expect(control()?.tenant.killSwitchReason).toBe('missed');
    await admin.api.tradingControl.update({ scope: 'tenant', tradingEnabled: true });
  });

  it('writes each market tick into the ticker and each closed bar into the chart’s candles', async () => {
    cache.setQueryData<TickerView>(queryKeys.market.ticker('BTC/USDT'), { symbol: 'BTC/USDT', last: '16800', bid: '16799.9', ask: '16800.1', time: 0, stale: false });
    cache.setQueryData(queryKeys.market.candles('BTC/USDT', '1s'), { symbol: 'BTC/USDT', timeframe: '1s', items: [bar(1_000, 16800)] });
    const leave = socket.subscribeMarket('BTC/USDT');
    await until('the market room', async () => (await roomsOf('trader')).has(rooms.market('BTC/USDT')));
    feed.emit({ type: 'tick', symbol: 'BTC/USDT', price: 16844.2, time: 2_500 });
    feed.emit({ type: 'candle', symbol: 'BTC/USDT', timeframe: '1s', candle: bar(2_000, 16844.2) });
    await until('the tick', () => cache.getQueryData<TickerView>(queryKeys.market.ticker('BTC/USDT'))?.last === '16844.2');
    expect(cache.getQueryData<TickerView>(queryKeys.market.ticker('BTC/USDT'))).toMatchObject({ bid: '16799.9', time: 2_500 });
    expect(ticks.lastTick('BTC/USDT')).toBeGreaterThan(Date.now() - 5_000);
    await until('the bar', () => cache.getQueryData<{ items: unknown[] }>(queryKeys.market.candles('BTC/USDT', '1s'))?.items.length === 2);
    leave();
  });
});
