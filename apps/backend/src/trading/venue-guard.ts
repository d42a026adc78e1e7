import {
  ExchangeError,
  isExchangeError,
  sleep,
  systemScheduler,
  type CreateOrderRequest,
  type ExchangeAdapter,
  type FetchTradesOptions,
  type OrderRef,
  type Scheduler,
  type Unsubscribe,
  type VenueBalances,
  type VenueCandle,
  type VenueMarket,
  type VenueOrder,
  type VenueOrderBook,
  type VenueStreamListener,
  type VenueTicker,
  type VenueTrade,
} from '@kestrel/exchanges';

export interface VenueGuardOptions {
  /** Timers and "now" (tests pass a VirtualScheduler). Default: the wall clock. */
  readonly scheduler?: Scheduler;
  /**
   * Longest a read (fetch*, loadMarkets) waits for a back-off to end; past it the read fails at
   * once with the venue's own retryable error (RATE_LIMITED / BANNED with the remaining
   * `retryAfterMs`), so a poll or a price look-up never hangs behind a long ban. Default 2 000.
   */
  readonly maxReadWaitMs?: number;
  /**
   * Longest a write (createOrder, cancelOrder) waits. Writes wait rather than fail: an order or a
   * cancel that has to go out goes out as soon as the venue allows it. Past this bound it fails
   * with the same retryable, not ambiguous error (nothing was sent). Default 120 000 (a 60 s ban
   * and then some).
   */
  readonly maxWriteWaitMs?: number;
  /** Added to every Retry-After, ban end and request window, for clock skew and network jitter. Default 25. */
  readonly marginMs?: number;
  /** Retry-After assumed for a 429 that does not say. Default 1 000. */
  readonly defaultRetryAfterMs?: number;
  /** Ban length assumed for a 418 that does not say. Default 60 000. */
  readonly defaultBanMs?: number;
  /**
   * The venue's published request budget, kept client-side (sliding window, like the venue's):
   * calls beyond it wait for a slot instead of drawing a 429. Off by default.
   */
  readonly requestLimit?: { readonly maxRequests: number; readonly windowMs: number };
}

/** What the guard holds the venue to right now (for health pages and tests). */
export interface VenueGuardState {
  /** Scheduler time before which no call goes out; -Infinity when free. */
  readonly blockedUntil: number;
  /** Why: the venue's last 429 (`RATE_LIMITED`) or 418 (`BANNED`); null when free. */
  readonly blockedBy: 'RATE_LIMITED' | 'BANNED' | null;
  /** Calls held back so far, and calls refused without being sent. */
  readonly waited: number;
  readonly refusedLocally: number;
}

type Call = 'loadMarkets' | 'fetchTicker' | 'fetchCandles' | 'fetchOrderBook' | 'fetchBalances' | 'fetchOrder' | 'fetchOpenOrders' | 'fetchMyTrades' | 'createOrder' | 'cancelOrder';

/**
 * An ExchangeAdapter that honours the venue's limits for every call made through it:
 * - after a 429 (`RATE_LIMITED` with `retryAfterMs`) no call goes out until Retry-After has passed
 *   (venues such as Binance answer a call during that wait with a 418 ban);
 * - after a 418 (`BANNED`) no call goes out until the ban ends;
 * - optionally a client-side request budget (`requestLimit`) keeps it from drawing a 429 at all.
 * Held-back calls wait; a read that would wait longer than `maxReadWaitMs` fails fast with the
 * venue's own retryable error instead. Everything else passes through unchanged: the same
 * results, the same errors (the 429/418 itself is rethrown as the venue sent it), the same stream.
 * Calls already on the wire when a 429 arrives cannot be recalled: that is what `requestLimit` is for.
 */
export class VenueGuard implements ExchangeAdapter {
  readonly venue: string;
  readonly inner: ExchangeAdapter;
  readonly #scheduler: Scheduler;
  readonly #maxReadWaitMs: number;
  readonly #maxWriteWaitMs: number;
  readonly #marginMs: number;
  readonly #defaultRetryAfterMs: number;
  readonly #defaultBanMs: number;
  readonly #limit: { readonly maxRequests: number; readonly windowMs: number } | undefined;
  readonly #sent: number[] = [];
  #blockedUntil = -Infinity;
  #blockedBy: 'RATE_LIMITED' | 'BANNED' | null = null;
  #waited = 0;
  #refused = 0;

  constructor(inner: ExchangeAdapter, options: VenueGuardOptions = {}) {
    this.inner = inner;
    this.venue = inner.venue;
    this.#scheduler = options.scheduler ?? systemScheduler();
    this.#maxReadWaitMs = nonNegative(options.maxReadWaitMs ?? 2_000, 'maxReadWaitMs');
    this.#maxWriteWaitMs = nonNegative(options.maxWriteWaitMs ?? 120_000, 'maxWriteWaitMs');
    this.#marginMs = nonNegative(options.marginMs ?? 25, 'marginMs');
    this.#defaultRetryAfterMs = nonNegative(options.defaultRetryAfterMs ?? 1_000, 'defaultRetryAfterMs');
    this.#defaultBanMs = nonNegative(options.defaultBanMs ?? 60_000, 'defaultBanMs');
    const limit = options.requestLimit;
    if (limit && !(Number.isInteger(limit.maxRequests) && limit.maxRequests > 0 && limit.windowMs > 0)) {
      throw new RangeError(`guardVenue: requestLimit needs a positive whole maxRequests and a positive windowMs, got ${JSON.stringify(limit)}`);
    }
    this.#limit = limit;
  }

  get state(): VenueGuardState {
    const free = this.#scheduler.now() >= this.#blockedUntil;
    return { blockedUntil: free ? -Infinity : this.#blockedUntil, blockedBy: free ? null : this.#blockedBy, waited: this.#waited, refusedLocally: this.#refused };
  }

  loadMarkets(): Promise<VenueMarket[]> {
    return this.#call('loadMarkets', () => this.inner.loadMarkets());
  }
  fetchTicker(symbol: string): Promise<VenueTicker> {
    return this.#call('fetchTicker', () => this.inner.fetchTicker(symbol));
  }
  fetchCandles(symbol: string, timeframe: string, since?: number, limit?: number): Promise<VenueCandle[]> {
    return this.#call('fetchCandles', () => this.inner.fetchCandles(symbol, timeframe, since, limit));
  }
  fetchOrderBook(symbol: string, depth?: number): Promise<VenueOrderBook> {
    return this.#call('fetchOrderBook', () => this.inner.fetchOrderBook(symbol, depth));
  }
  fetchBalances(): Promise<VenueBalances> {
    return this.#call('fetchBalances', () => this.inner.fetchBalances());
  }
  createOrder(request: CreateOrderRequest): Promise<VenueOrder> {
    return this.#call('createOrder', () => this.inner.createOrder(request));
  }
  cancelOrder(ref: OrderRef): Promise<VenueOrder> {
    return this.#call('cancelOrder', () => this.inner.cancelOrder(ref));
  }
  fetchOrder(ref: OrderRef): Promise<VenueOrder | null> {
    return this.#call('fetchOrder', () => this.inner.fetchOrder(ref));
  }
  fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    return this.#call('fetchOpenOrders', () => this.inner.fetchOpenOrders(symbol));
  }
  fetchMyTrades(symbol: string, options?: FetchTradesOptions): Promise<VenueTrade[]> {
    return this.#call('fetchMyTrades', () => this.inner.fetchMyTrades(symbol, options));
  }
  /** The push stream is not a request: it passes through untouched. */
  subscribe(listener: VenueStreamListener): Unsubscribe {
    return this.inner.subscribe(listener);
  }

  async #call<T>(call: Call, send: () => Promise<T>): Promise<T> {
    await this.#admit(call);
    try {
      return await send();
    } catch (err) {
      if (isExchangeError(err)) this.#learn(err);
      throw err;
    }
  }

  /** Waits until a call may go out (back-off over, a slot in the budget), then takes the slot. */
  async #admit(call: Call): Promise<void> {
    const maxWait = call === 'createOrder' || call === 'cancelOrder' ? this.#maxWriteWaitMs : this.#maxReadWaitMs;
    const started = this.#scheduler.now();
    let counted = false;
    for (;;) {
      const now = this.#scheduler.now();
      const backOff = this.#blockedUntil - now;
      const slot = backOff > 0 ? 0 : this.#slotWait(now);
      const wait = Math.max(backOff, slot);
      if (wait <= 0) {
        if (this.#limit) this.#sent.push(now);
        return;
      }
      if (now - started + wait > maxWait) {
        this.#refused++;
        const code = backOff > 0 && this.#blockedBy ? this.#blockedBy : 'RATE_LIMITED';
        const what = code === 'BANNED' ? `banned by ${this.venue} (418)` : backOff > 0 ? `rate-limited by ${this.venue} (429)` : `over the request budget for ${this.venue}`;
        throw new ExchangeError(code, `${call} not sent: ${what} for another ${Math.ceil(wait)} ms; retry after that`, { retryAfterMs: Math.ceil(wait), venue: this.venue });
      }
      if (!counted) {
        this.#waited++;
        counted = true;
      }
      await sleep(this.#scheduler, wait);
    }
  }

  /** Milliseconds until the client-side budget has room (0 when it has, or when there is none). */
  #slotWait(now: number): number {
    const limit = this.#limit;
    if (!limit) return 0;
    const window = limit.windowMs + this.#marginMs;
    const sent = this.#sent;
    while (sent.length > 0 && sent[0]! <= now - window) sent.shift();
    if (sent.length < limit.maxRequests) return 0;
    return sent[0]! + window - now;
  }

  #learn(err: ExchangeError): void {
    if (err.code !== 'RATE_LIMITED' && err.code !== 'BANNED') return;
    const ms = err.retryAfterMs ?? (err.code === 'BANNED' ? this.#defaultBanMs : this.#defaultRetryAfterMs);
    // Counted from when the answer arrived: later than the venue's own clock started it, so safe.
    const until = this.#scheduler.now() + ms + this.#marginMs;
    if (until > this.#blockedUntil) {
      this.#blockedUntil = until;
      this.#blockedBy = err.code;
    } else if (err.code === 'BANNED') {
      this.#blockedBy = 'BANNED';
    }
  }
}

const guards = new WeakMap<ExchangeAdapter, VenueGuard>();

/**
 * The guarded adapter of `venue`: one guard per venue connection, so calling this again for the
 * same adapter (e.g. on every VenueProvider look-up) returns the same guard, which keeps the
 * back-off state shared and keeps adapter identity stable for the stream subscription and the
 * market cache. An adapter that is already a guard is returned as it is; `opts` apply on first use.
 */
export function guardVenue(venue: ExchangeAdapter, opts?: VenueGuardOptions): ExchangeAdapter {
  if (venue instanceof VenueGuard) return venue;
  let guard = guards.get(venue);
  if (!guard) {
    guard = new VenueGuard(venue, opts);
    guards.set(venue, guard);
  }
  return guard;
}

function nonNegative(ms: number, name: string): number {
  if (!(ms >= 0)) throw new RangeError(`guardVenue: ${name} must be a non-negative number of ms, got ${ms}`);
  return ms;
}
