import { ExchangeError } from '../exchange-error.ts';
import type { CandleSource, MarketFeed } from '../market/market-feed.ts';
import type {
  CreateOrderRequest,
  ExchangeAdapter,
  FetchTradesOptions,
  OrderRef,
  Unsubscribe,
  VenueBalances,
  VenueCandle,
  VenueMarket,
  VenueOrder,
  VenueOrderBook,
  VenueStreamEvent,
  VenueStreamListener,
  VenueTicker,
  VenueTrade,
} from '../port.ts';
import type { Clock } from '../time/clock.ts';
import { sleep, type Scheduler } from '../time/scheduler.ts';
import { FaultLog, type FaultKind } from './fault-log.ts';
import { FaultPlan, WRITE_CALLS, type CallFault, type CallType, type PaperFaultConfig } from './faults.ts';
import { uniformLatency, type LatencyModel } from './latency.ts';
import type { EngineEvent, PaperMatchingEngine } from './matching-engine.ts';
import { PaperStream } from './paper-stream.ts';
import { derivePrng, type Prng } from './prng.ts';
import { syntheticBook, syntheticTicker } from './synthetic-book.ts';
import { VenueGate, type VenueRateLimit } from './venue-gate.ts';

export interface PaperExchangeOptions {
  readonly engine: PaperMatchingEngine;
  /** Latency, time-outs, bans and stream delivery run on it. */
  readonly scheduler: Scheduler;
  /** Order and fill timestamps (e.g. the replay's market clock). Default: the scheduler. */
  readonly clock?: Clock;
  /** Seeds latency and fault draws. Default 1. */
  readonly seed?: number;
  readonly venue?: string;
  /** Each leg of a call and each stream delivery. Default uniform 5–30 ms each. */
  readonly latency?: { readonly request?: LatencyModel; readonly response?: LatencyModel; readonly stream?: LatencyModel };
  readonly faults?: PaperFaultConfig;
  /** The venue's request limit (429, then 418 for a client that ignores Retry-After). Default none. */
  readonly rateLimit?: VenueRateLimit & { readonly banOnIgnoredRetryAfter?: boolean };
  /** Ticks and candles forwarded to subscribers (usually the MarketReplay feeding the engine). */
  readonly marketData?: MarketFeed;
  /** Served by fetchCandles (usually the same MarketReplay). */
  readonly candles?: CandleSource;
  /** The synthetic order book. Default 10 levels of "1". */
  readonly book?: { readonly depth?: number; readonly levelQuantity?: string };
  /** A stream listener threw. Default: console.error. */
  readonly onListenerError?: (error: unknown) => void;
}

const DEFAULT_LATENCY = uniformLatency(5, 30);

/**
 * The paper venue behind the ExchangeAdapter port: the matching engine plus what makes a real
 * venue hard — latency on every leg, time-outs and dropped responses after the request took
 * effect, 5xx that may or may not have, 429/418 with Retry-After and bans, duplicate and
 * out-of-order fills on the stream, and a window after a submit in which the venue does not
 * know the order yet. All of it is drawn from a seed or scripted, and logged (`log`).
 *
 * There is no dry-run switch anywhere: live code talks to this exactly as to a real venue.
 */
export class PaperExchange implements ExchangeAdapter {
  readonly venue: string;
  readonly engine: PaperMatchingEngine;
  /** Script one-shot faults here: `exchange.faults.script('createOrder', { kind: 'timeout' })`. */
  readonly faults: FaultPlan;
  readonly log = new FaultLog();
  readonly #scheduler: Scheduler;
  readonly #clock: Clock;
  readonly #latency: { request: LatencyModel; response: LatencyModel; stream: LatencyModel };
  readonly #rng: Prng;
  readonly #gate: VenueGate;
  readonly #stream: PaperStream;
  readonly #candles: CandleSource | undefined;
  readonly #book: { depth: number; levelQuantity: string };
  readonly #hidden = new Map<string, { until: number; calls: number }>();
  /** Refusals made before the engine was consulted (the unknown-order window). */
  readonly #beforeEngine = new WeakSet<ExchangeError>();
  /** Delivery time of the last engine batch that had its trades moved ahead (out-of-order fault). */
  #reorderedUntil = -Infinity;

  constructor(options: PaperExchangeOptions) {
    const seed = options.seed ?? 1;
    this.venue = options.venue ?? 'paper';
    this.engine = options.engine;
    this.#scheduler = options.scheduler;
    this.#clock = options.clock ?? options.scheduler;
    this.#latency = {
      request: options.latency?.request ?? DEFAULT_LATENCY,
      response: options.latency?.response ?? DEFAULT_LATENCY,
      stream: options.latency?.stream ?? DEFAULT_LATENCY,
    };
    this.#rng = derivePrng(seed, 'latency');
    this.faults = new FaultPlan(options.faults ?? {}, seed);
    this.#gate = new VenueGate({
      ...(options.rateLimit ? { limit: options.rateLimit } : {}),
      banMs: options.faults?.banMs ?? 60_000,
      banOnIgnoredRetryAfter: options.rateLimit?.banOnIgnoredRetryAfter ?? true,
    });
    this.#stream = new PaperStream(options.scheduler, options.onListenerError ?? ((e) => console.error('paper exchange: stream listener failed', e)));
    this.#candles = options.candles;
    this.#book = { depth: options.book?.depth ?? 10, levelQuantity: options.book?.levelQuantity ?? '1' };
    this.engine.subscribeBatches((events) => this.#onEngineBatch(events));
    options.marketData?.subscribe((event) => this.#stream.enqueue([event], this.#latency.stream(this.#rng)));
  }

  /** Scheduler time until which the venue refuses every call (418), or -Infinity. */
  get bannedUntil(): number {
    return this.#gate.bannedUntil;
  }

  subscribe(listener: VenueStreamListener): Unsubscribe {
    return this.#stream.subscribe(listener);
  }

  loadMarkets(): Promise<VenueMarket[]> {
    return this.#call('loadMarkets', () => this.engine.markets());
  }

  fetchTicker(symbol: string): Promise<VenueTicker> {
    return this.#call('fetchTicker', () => {
      const { inst, last } = this.#priced(symbol);
      return syntheticTicker(inst, last.price, last.time);
    });
  }

  fetchCandles(symbol: string, timeframe: string, since?: number, limit?: number): Promise<VenueCandle[]> {
    return this.#call('fetchCandles', () => this.#candles?.candles(symbol, timeframe, since, limit) ?? []);
  }

  fetchOrderBook(symbol: string, depth?: number): Promise<VenueOrderBook> {
    return this.#call('fetchOrderBook', () => {
      const { inst, last } = this.#priced(symbol);
      return syntheticBook(inst, last.price, last.time, depth ?? this.#book.depth, this.#book.levelQuantity);
    });
  }

  fetchBalances(): Promise<VenueBalances> {
    return this.#call('fetchBalances', () => this.engine.balances());
  }

  async createOrder(request: CreateOrderRequest): Promise<VenueOrder> {
    const reorderedBefore = this.#reorderedUntil;
    const order = await this.#call(
      'createOrder',
      () => {
        const result = this.engine.submit(request, this.#clock.now());
        if (!result.ok) throw result.error;
        const window = this.faults.nextUnknownWindow();
        if (window) {
          this.#hidden.set(request.clientOrderId, { until: this.#scheduler.now() + (window.ms ?? 0), calls: window.calls ?? 0 });
          this.log.record({ at: this.#scheduler.now(), call: 'createOrder', clientOrderId: request.clientOrderId, fault: 'unknown_order', reachedEngine: false, outcome: 'ok' });
        }
        return result.order;
      },
      request.clientOrderId,
    );
    // Fill before ack: the reordered stream batch is delivered before this response.
    if (this.#reorderedUntil > reorderedBefore && this.#reorderedUntil >= this.#scheduler.now()) {
      await sleep(this.#scheduler, this.#reorderedUntil - this.#scheduler.now() + 1);
    }
    return order;
  }

  cancelOrder(ref: OrderRef): Promise<VenueOrder> {
    return this.#call(
      'cancelOrder',
      () => {
        if (this.#isHidden(ref.clientOrderId, false)) {
          const error = new ExchangeError('ORDER_NOT_FOUND', `Unknown order sent: ${ref.clientOrderId}`);
          this.#beforeEngine.add(error);
          throw error;
        }
        const result = this.engine.cancel(ref, this.#clock.now());
        if (!result.ok) throw result.error;
        return result.order;
      },
      ref.clientOrderId,
    );
  }

  fetchOrder(ref: OrderRef): Promise<VenueOrder | null> {
    return this.#call(
      'fetchOrder',
      () => (this.#isHidden(ref.clientOrderId, true) ? null : this.engine.getOrder(ref.clientOrderId, ref.symbol)),
      ref.clientOrderId,
    );
  }

  fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    return this.#call('fetchOpenOrders', () => this.engine.openOrders(symbol).filter((o) => !this.#isHidden(o.clientOrderId, false)));
  }

  fetchMyTrades(symbol: string, options: FetchTradesOptions = {}): Promise<VenueTrade[]> {
    return this.#call('fetchMyTrades', () => this.engine.trades(symbol, options.sinceTradeId, options.limit));
  }

  // ---- the request path ----------------------------------------------------------------------

  /**
   * One request: travel to the venue, the door (ban, rate limit), the fault, the engine, the way
   * back. `apply` runs at the venue, synchronously against the engine; it throws ExchangeError
   * for the venue's refusals.
   */
  async #call<T>(call: CallType, apply: () => T, clientOrderId?: string): Promise<T> {
    const write = WRITE_CALLS.has(call);
    const started = this.#scheduler.now();
    await sleep(this.#scheduler, this.#latency.request(this.#rng));
    const at = this.#scheduler.now();
    const atDoor = this.#gate.admit(at);
    // A scripted fault is meant for a call that gets through the door.
    const fault = atDoor ? null : this.faults.nextCallFault(call);
    const entry = (f: FaultKind | null, reachedEngine: boolean, outcome: 'ok' | ExchangeError) =>
      this.log.record({ at, call, ...(clientOrderId === undefined ? {} : { clientOrderId }), fault: f, reachedEngine, outcome: outcome === 'ok' ? 'ok' : outcome.code });

    const refusal = atDoor ?? this.#gateFault(fault, at);
    if (refusal) {
      const error = new ExchangeError(refusal.kind === 'banned' ? 'BANNED' : 'RATE_LIMITED', refusal.kind === 'banned' ? `418: banned for ${refusal.retryAfterMs} ms` : `429: too many requests, retry after ${refusal.retryAfterMs} ms`, {
        retryAfterMs: refusal.retryAfterMs,
        venue: this.venue,
      });
      entry(fault && (fault.kind === 'rate_limited' || fault.kind === 'banned') ? fault.kind : null, false, error);
      return this.#respond(() => Promise.reject(error));
    }
    if (fault?.kind === 'server_error' && !(write && this.faults.serverErrorPlaced(fault))) {
      const error = this.#faultError(fault, write);
      entry(fault.kind, false, error);
      return this.#respond(() => Promise.reject(error));
    }

    let result: { ok: true; value: T } | { ok: false; error: ExchangeError };
    try {
      result = { ok: true, value: apply() };
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      result = { ok: false, error };
    }
    const reached = result.ok || !this.#beforeEngine.has(result.error);
    if (fault && fault.kind !== 'rate_limited' && fault.kind !== 'banned') {
      const error = this.#faultError(fault, write);
      entry(fault.kind, reached, error);
      if (fault.kind === 'timeout') {
        await sleep(this.#scheduler, Math.max(0, started + (this.faults.config.timeoutMs ?? 10_000) - this.#scheduler.now()));
        throw error;
      }
      return this.#respond(() => Promise.reject(error));
    }
    entry(null, reached, result.ok ? 'ok' : result.error);
    return this.#respond(() => (result.ok ? Promise.resolve(result.value) : Promise.reject(result.error)));
  }

  async #respond<T>(answer: () => Promise<T>): Promise<T> {
    await sleep(this.#scheduler, this.#latency.response(this.#rng));
    return answer();
  }

  #gateFault(fault: CallFault | null, at: number) {
    if (fault?.kind === 'rate_limited') return this.#gate.rateLimit(at, fault.retryAfterMs ?? this.faults.config.retryAfterMs ?? 1_000);
    if (fault?.kind === 'banned') return this.#gate.ban(at, fault.banMs ?? this.faults.config.banMs ?? 60_000);
    return null;
  }

  #faultError(fault: CallFault, write: boolean): ExchangeError {
    const options = { ambiguous: write, venue: this.venue };
    switch (fault.kind) {
      case 'timeout':
        return new ExchangeError('TIMEOUT', 'request timed out', options);
      case 'drop_response':
        return new ExchangeError('NETWORK', 'connection reset before the response arrived', options);
      case 'server_error':
        return new ExchangeError('EXCHANGE_UNAVAILABLE', '503 Service Unavailable', options);
      case 'rate_limited':
      case 'banned':
        throw new Error(`not a response fault: ${fault.kind}`);
    }
  }

  #priced(symbol: string) {
    const inst = this.engine.instrument(symbol);
    if (!inst) throw new ExchangeError('INVALID_ORDER', `unknown symbol ${symbol}`);
    const last = this.engine.lastPrice(symbol);
    if (!last) throw new ExchangeError('EXCHANGE_UNAVAILABLE', `no price for ${symbol} yet`);
    return { inst, last };
  }

  /** The unknown-order window; `countCall` uses up one of its fetchOrder calls. */
  #isHidden(clientOrderId: string, countCall: boolean): boolean {
    const h = this.#hidden.get(clientOrderId);
    if (!h) return false;
    const hidden = this.#scheduler.now() < h.until || h.calls > 0;
    if (countCall && h.calls > 0) h.calls--;
    if (!hidden) this.#hidden.delete(clientOrderId);
    return hidden;
  }

  // ---- the stream ----------------------------------------------------------------------------

  #onEngineBatch(batch: readonly EngineEvent[]): void {
    let events: readonly VenueStreamEvent[] = batch;
    const hasTrade = batch.some((e) => e.type === 'trade');
    if (!hasTrade) {
      this.#stream.enqueue(events, this.#latency.stream(this.#rng));
      return;
    }
    const { duplicate, outOfOrder } = this.faults.nextStreamFaults();
    const at = this.#scheduler.now();
    if (outOfOrder) {
      events = [...batch.filter((e) => e.type === 'trade'), ...batch.filter((e) => e.type !== 'trade')];
      this.log.record({ at, call: 'stream', fault: 'out_of_order_fill', reachedEngine: false, outcome: 'ok' });
    }
    if (duplicate) {
      events = events.flatMap((e): VenueStreamEvent[] => (e.type === 'trade' ? [e, e] : [e]));
      this.log.record({ at, call: 'stream', fault: 'duplicate_fill', reachedEngine: false, outcome: 'ok' });
    }
    const deliveredAt = this.#stream.enqueue(events, outOfOrder ? 0 : this.#latency.stream(this.#rng));
    if (outOfOrder) this.#reorderedUntil = deliveredAt;
  }
}
