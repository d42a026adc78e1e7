import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { RealtimeClient } from '@kestrel/api-client';
import type { z } from 'zod';
import { rooms, type BacktestProgressEvent, type BacktestSummary, type candleListSchema, type Profile, type TickerView } from '@kestrel/contracts';
import { queryKeys } from '../query-keys.ts';
import { isBehind } from '../run-progress.ts';

type CandleList = z.infer<typeof candleListSchema>;

/**
 * Batches invalidations: a burst of fills (order.update, fill, position.update, pnl.update for
 * each) refetches each affected list once, not once per event.
 */
export class InvalidationBatch {
  readonly #pending = new Map<string, QueryKey>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly client: QueryClient,
    private readonly delayMs = 150,
  ) {}

  add(...keys: QueryKey[]): void {
    for (const k of keys) this.#pending.set(JSON.stringify(k), k);
    this.#timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const keys = [...this.#pending.values()];
    this.#pending.clear();
    for (const queryKey of keys) void this.client.invalidateQueries({ queryKey });
  }
}

/** What a room's state lives in: after a gap or a (re)join, these queries are refetched. */
export function keysForRoom(room: string): QueryKey[] {
  if (room === rooms.platform()) return [queryKeys.tradingControl];
  if (room.startsWith('tenant:')) return [queryKeys.profiles.all, queryKeys.orders.all, queryKeys.pnl.all, queryKeys.tradingControl, queryKeys.admin.all, queryKeys.backtests.all];
  if (room.startsWith('profile:')) {
    const id = room.slice('profile:'.length);
    return [queryKeys.profiles.detail(id), queryKeys.orders.all, queryKeys.pnl.profile(id)];
  }
  if (room.startsWith('market:')) return [queryKeys.market.symbol(room.slice('market:'.length))];
  return [];
}

/** Remembers when the last tick of each symbol arrived, for the stale-data banner. */
export class TickClock {
  readonly #last = new Map<string, number>();
  mark(symbol: string, at = Date.now()): void {
    this.#last.set(symbol, at);
  }
  /** Starts the clock for a symbol nobody watched yet: a feed that never ticks goes stale too. */
  watch(symbol: string, at = Date.now()): void {
    if (!this.#last.has(symbol)) this.#last.set(symbol, at);
  }
  lastTick(symbol: string): number | undefined {
    return this.#last.get(symbol);
  }
}

/**
 * Keeps the query cache in step with the /trading socket: state that changes often and is cheap
 * to patch (bot state, last price, the newest candle) is written into the cache at once; lists
 * (orders, P&L, decisions) are refetched in batches. A room that needs a resync refetches all of
 * its queries.
 */
export function syncTradingCache(socket: RealtimeClient<'/trading'>, client: QueryClient, batch: InvalidationBatch, ticks: TickClock): () => void {
  const offs = [
    socket.onResync((room) => batch.add(...keysForRoom(room))),
    socket.on('profile.state', ({ data }) => {
      const patch = (p: Profile): Profile => (p.id === data.profileId ? { ...p, status: data.status, tradingState: data.tradingState, haltReason: data.haltReason, version: data.version, updatedAt: data.updatedAt } : p);
      client.setQueryData<{ items: Profile[] }>(queryKeys.profiles.list(), (list) => list && { items: list.items.map(patch) });
      client.setQueryData<Profile>(queryKeys.profiles.detail(data.profileId), (p) => p && patch(p));
    }),
    socket.on('order.update', ({ data }) => batch.add(queryKeys.orders.all, ...(data.profileId ? [queryKeys.profiles.decisions(data.profileId)] : []))),
    socket.on('fill', ({ data }) => batch.add(queryKeys.orders.all, queryKeys.pnl.all, ...(data.profileId ? [queryKeys.profiles.detail(data.profileId)] : []))),
    socket.on('position.update', () => batch.add(queryKeys.pnl.all)),
    socket.on('pnl.update', () => batch.add(queryKeys.pnl.all)),
    socket.on('decision', ({ data }) => batch.add(['profiles', 'decisions', data.profileId])),
    socket.on('trading.control', () => batch.add(queryKeys.tradingControl)),
    socket.on('market.tick', ({ data }) => {
      ticks.mark(data.symbol);
      client.setQueryData<TickerView>(queryKeys.market.ticker(data.symbol), (t) => t && { ...t, last: data.price, time: data.time, stale: false });
    }),
    socket.on('backtest.progress', ({ data }) => {
      patchRunProgress(client, data);
      // A run nobody's list has yet (submitted in another tab, or by a colleague).
      if (data.status === 'queued') batch.add(queryKeys.backtests.lists(data.kind));
    }),
    // The result is only over REST: refetch the run and the lists that show its status and metrics.
    socket.on('backtest.finished', ({ data }) => batch.add(queryKeys.backtests.detail(data.kind, data.id), queryKeys.backtests.lists(data.kind))),
    // New candles change what backtests and research can read.
    socket.on('marketdata.import', ({ data }) => {
      if (data.status === 'succeeded') batch.add(queryKeys.marketData.all, queryKeys.research.all);
    }),
    socket.on('market.candle', ({ data }) => {
      client.setQueryData<CandleList>(queryKeys.market.candles(data.symbol, data.timeframe), (list) => {
        if (!list) return list;
        const items = list.items.filter((c) => c.time < data.candle.time);
        items.push(data.candle);
        return { ...list, items: items.slice(-1000) };
      });
    }),
  ];
  return () => offs.forEach((off) => off());
}

/**
 * Writes a run's status and progress into its cached detail and list rows, only forward (see
 * isBehind): the bar never jumps back when an event and a REST answer cross.
 */
function patchRunProgress(client: QueryClient, e: BacktestProgressEvent): void {
  const { id, kind, status, ...progress } = e;
  const patch = <T extends BacktestSummary>(run: T): T => (run.id !== id || isBehind(run, e) ? run : { ...run, status, progress });
  client.setQueryData<BacktestSummary>(queryKeys.backtests.detail(kind, id), (run) => run && patch(run));
  client.setQueriesData<{ items: BacktestSummary[] }>({ queryKey: queryKeys.backtests.lists(kind) }, (page) => page && { ...page, items: page.items.map(patch) });
}

/** The /admin socket: audit entries, reconciliation runs and switch changes refetch their lists. */
export function syncAdminCache(socket: RealtimeClient<'/admin'>, batch: InvalidationBatch): () => void {
  const offs = [
    socket.onResync(() => batch.add(queryKeys.admin.all, queryKeys.tradingControl)),
    socket.on('audit.entry', () => batch.add(['admin', 'audit'])),
    socket.on('reconciliation.run', () => batch.add(['admin', 'reconciliation'])),
    socket.on('trading.control', () => batch.add(queryKeys.tradingControl)),
  ];
  return () => offs.forEach((off) => off());
}
