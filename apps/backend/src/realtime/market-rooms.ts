import type { Server, Socket } from 'socket.io';
import { rooms, subscribeMarketRequestSchema, SUBSCRIBE_MARKET_EVENT, UNSUBSCRIBE_MARKET_EVENT, type MarketCandleEvent, type MarketTickEvent } from '@kestrel/contracts';
import type { Unsubscribe } from '@kestrel/exchanges';
import type { MarketDataEvent, MarketDataSource } from '../trading/runtime/market-data.ts';

type Ack = (answer: unknown) => void;
const MAX_MARKET_ROOMS = 50;
const NAMESPACE = '/trading';

/**
 * Market data pushes on /trading: `market.tick` and `market.candle` to `market:<symbol>`, in the
 * usual envelope `{ room, seq, ts, data }`.
 *
 * - Ticks are throttled per symbol to `ticksPerSecond` (default 4): inside a window only the
 *   latest price is kept and sent when the window ends, so a fast replay cannot flood clients and
 *   the last price still arrives. A tick held back when its bar closes is dropped: the candle's
 *   close is the same or a newer price, and sending the tick after it would show them out of order.
 *   Candles (one per bar) are not throttled.
 * - Unlike tenant events (RealtimeHub, shared through Redis), market events are emitted to this
 *   instance's sockets only, with this instance's sequence numbers: every backend instance runs
 *   its own feed, and relaying each one's ticks through the Redis adapter would hand every client
 *   N interleaved copies of the market. A client that reconnects elsewhere gets the room's current
 *   seq in its `subscribe.market` ack.
 */
export class MarketBroadcaster {
  readonly #source: MarketDataSource;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #seqs = new Map<string, number>();
  readonly #throttle = new Map<string, { lastSent: number; pending: MarketTickEvent | null; timer: ReturnType<typeof setTimeout> | null }>();
  #io: Server | undefined;
  #unsubscribe: Unsubscribe | null = null;

  constructor(source: MarketDataSource, opts: { ticksPerSecond?: number; now?: () => number } = {}) {
    const rate = opts.ticksPerSecond ?? 4;
    if (!(rate > 0)) throw new RangeError(`MarketBroadcaster: ticksPerSecond must be > 0, got ${rate}`);
    this.#source = source;
    this.#intervalMs = 1000 / rate;
    this.#now = opts.now ?? Date.now;
  }

  /** Starts pushing to this server's /trading sockets (the gateway calls it). */
  attach(io: Server): void {
    this.#io = io;
    this.#unsubscribe ??= this.#source.subscribe((event) => this.#onEvent(event));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    for (const t of this.#throttle.values()) if (t.timer) clearTimeout(t.timer);
    this.#throttle.clear();
  }

  serves(symbol: string): boolean {
    return this.#source.symbols().some((s) => s.symbol === symbol);
  }

  currentSeq(symbol: string): number {
    return this.#seqs.get(rooms.market(symbol)) ?? 0;
  }

  #onEvent(event: MarketDataEvent): void {
    if (event.type === 'candle') {
      this.#drop(event.symbol);
      const data: MarketCandleEvent = { symbol: event.symbol, timeframe: event.timeframe, candle: { ...event.candle } };
      this.#emit(event.symbol, 'market.candle', data);
      return;
    }
    const tick: MarketTickEvent = { symbol: event.symbol, price: this.#format(event.symbol, event.price), time: event.time };
    const now = this.#now();
    const t = this.#throttle.get(event.symbol) ?? { lastSent: -Infinity, pending: null, timer: null };
    this.#throttle.set(event.symbol, t);
    if (t.timer === null && now - t.lastSent >= this.#intervalMs) {
      t.lastSent = now;
      this.#emit(event.symbol, 'market.tick', tick);
      return;
    }
    t.pending = tick;
    t.timer ??= setTimeout(() => this.#flush(event.symbol), Math.max(0, t.lastSent + this.#intervalMs - now));
    t.timer.unref();
  }

  #drop(symbol: string): void {
    const t = this.#throttle.get(symbol);
    if (!t) return;
    if (t.timer) clearTimeout(t.timer);
    t.timer = null;
    t.pending = null;
  }

  /** Sends the tick held back by the throttle, if any. */
  #flush(symbol: string): void {
    const t = this.#throttle.get(symbol);
    if (!t) return;
    if (t.timer) clearTimeout(t.timer);
    t.timer = null;
    if (!t.pending) return;
    const tick = t.pending;
    t.pending = null;
    t.lastSent = this.#now();
    this.#emit(symbol, 'market.tick', tick);
  }

  #emit(symbol: string, event: string, data: unknown): void {
    const room = rooms.market(symbol);
    const seq = (this.#seqs.get(room) ?? 0) + 1;
    this.#seqs.set(room, seq);
    this.#io?.of(NAMESPACE).local.to(room).emit(event, { room, seq, ts: new Date().toISOString(), data });
  }

  /** The price with the symbol's tick-size decimals (floats from a replay carry binary noise). */
  #format(symbol: string, price: number): string {
    const tick = this.#source.symbols().find((s) => s.symbol === symbol)?.tickSize;
    const decimals = tick?.includes('.') ? tick.split('.')[1]!.length : 0;
    return String(Number(price.toFixed(Math.min(decimals, 20))));
  }
}

/**
 * `subscribe.market` / `unsubscribe.market` on /trading: any authenticated socket may watch any
 * symbol the feed serves (market data is the same for every tenant). Acknowledged like
 * subscribe.profile: `{ ok: true, room, seq }` or `{ ok: false, error: { code, message } }`.
 */
export function attachMarketRooms(socket: Socket, market: MarketBroadcaster | undefined): void {
  const reply = (ack: unknown, answer: unknown) => {
    if (typeof ack === 'function') (ack as Ack)(answer);
  };
  const parse = (payload: unknown) => subscribeMarketRequestSchema.safeParse(payload);
  const invalid = { ok: false, error: { code: 'VALIDATION_FAILED', message: 'send { symbol: "BTC/USDT" } (a symbol from GET /api/market/symbols)' } };
  const noFeed = { ok: false, error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'The market data feed is not running on this server; try again shortly.' } };

  socket.on(SUBSCRIBE_MARKET_EVENT, async (payload: unknown, ack: unknown) => {
    const parsed = parse(payload);
    if (!parsed.success) return reply(ack, invalid);
    if (!market) return reply(ack, noFeed);
    const { symbol } = parsed.data;
    const room = rooms.market(symbol);
    if (!market.serves(symbol)) return reply(ack, { ok: false, error: { code: 'NOT_FOUND', message: `No market data for ${symbol}: GET /api/market/symbols lists the symbols served.` } });
    const joined = [...socket.rooms].filter((r) => r.startsWith('market:')).length;
    if (joined >= MAX_MARKET_ROOMS && !socket.rooms.has(room)) return reply(ack, { ok: false, error: { code: 'RATE_LIMITED', message: `at most ${MAX_MARKET_ROOMS} market rooms per socket: leave one first (unsubscribe.market)` } });
    await socket.join(room);
    reply(ack, { ok: true, room, seq: market.currentSeq(symbol) });
  });
  socket.on(UNSUBSCRIBE_MARKET_EVENT, async (payload: unknown, ack: unknown) => {
    const parsed = parse(payload);
    if (!parsed.success) return reply(ack, invalid);
    const room = rooms.market(parsed.data.symbol);
    await socket.leave(room);
    reply(ack, { ok: true, room, seq: market?.currentSeq(parsed.data.symbol) ?? 0 });
  });
}
