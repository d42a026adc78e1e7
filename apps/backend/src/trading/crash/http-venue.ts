/**
 * Test-only: a venue that outlives the process that trades on it. The crash test runs the real
 * PaperExchange in its own process behind `serveVenue` (node:http on 127.0.0.1, one POST route per
 * port method, JSON in and out); the child it kills talks to it through `HttpVenue`, an
 * ExchangeAdapter over fetch. Venue failures cross the wire as data and come back as the same
 * ExchangeError (code, retryable, ambiguous, retryAfterMs); a request that never got an answer is a
 * NETWORK error, ambiguous for writes — exactly what a real venue's HTTP API gives.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExchangeError, isExchangeError, type ExchangeErrorCode, type VenueStreamEvent, type VenueStreamListener } from '@kestrel/exchanges';
import type { ExchangeAdapter, VenueOrder, VenueTrade } from '../venue.ts';

/** The port methods served (subscribe is not a request: `HttpVenue` polls instead). */
export const VENUE_METHODS = ['loadMarkets', 'fetchTicker', 'fetchCandles', 'fetchOrderBook', 'fetchBalances', 'createOrder', 'cancelOrder', 'fetchOrder', 'fetchOpenOrders', 'fetchMyTrades'] as const;
export type VenueMethod = (typeof VENUE_METHODS)[number];
const WRITES: ReadonlySet<VenueMethod> = new Set(['createOrder', 'cancelOrder']);

interface WireError {
  readonly code: ExchangeErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  readonly retryAfterMs?: number;
}
type WireReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: WireError };

export interface VenueServer {
  readonly url: string;
  /** createOrder requests received, per client order id (whatever their outcome). */
  readonly creates: ReadonlyMap<string, number>;
  /** Resolves once no request is being handled (a killed client's last request is still carried out). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function serveVenue(venue: ExchangeAdapter): Promise<VenueServer> {
  const creates = new Map<string, number>();
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (inFlight > 0) return;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const server: Server = createServer((req, res) => {
    inFlight++;
    void handle(req)
      .then((reply) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      })
      .catch((err: unknown) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: (err as Error).message }));
      })
      .finally(() => {
        inFlight--;
        settle();
      });
  });

  async function handle(req: IncomingMessage): Promise<WireReply> {
    const method = (req.url ?? '').slice(1) as VenueMethod;
    if (req.method !== 'POST' || !VENUE_METHODS.includes(method)) throw new Error(`POST one of /${VENUE_METHODS.join(', /')}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '[]') as unknown;
    if (!Array.isArray(parsed)) throw new Error('the body is a JSON array of the method arguments');
    // JSON has no undefined: an omitted optional argument arrives as null and must stay omitted.
    const args = parsed.map((a: unknown) => (a === null ? undefined : a));
    if (method === 'createOrder') {
      const coid = (args[0] as { clientOrderId?: string } | undefined)?.clientOrderId ?? '';
      creates.set(coid, (creates.get(coid) ?? 0) + 1);
    }
    try {
      const fn = venue[method] as (...a: unknown[]) => Promise<unknown>;
      const value = await fn.apply(venue, args);
      return { ok: true, value: value ?? null };
    } catch (err) {
      if (!isExchangeError(err)) throw err;
      return {
        ok: false,
        error: { code: err.code, message: err.message, retryable: err.retryable, ambiguous: err.ambiguous, ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}) },
      };
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    creates,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface HttpVenueOptions {
  /** The venue's name (fills are deduplicated by it); default "paper". */
  readonly venue?: string;
  /** Symbols whose trades the stream polls. */
  readonly symbols: readonly string[];
  /** Stream poll interval; default 25 ms. */
  readonly pollMs?: number;
  /** A request without an answer after this long is a TIMEOUT (ambiguous for writes); default 5 s. */
  readonly timeoutMs?: number;
}

/**
 * The ExchangeAdapter port over HTTP. `subscribe` is a poll of the account's trades (each new
 * trade once, ascending) and of its open orders (an order event when one changes or finishes).
 */
export class HttpVenue implements ExchangeAdapter {
  readonly venue: string;
  readonly #url: string;
  readonly #options: HttpVenueOptions;
  readonly #subscriptions = new Set<() => void>();

  constructor(url: string, options: HttpVenueOptions) {
    this.#url = url;
    this.#options = options;
    this.venue = options.venue ?? 'paper';
  }

  async #call<T>(method: VenueMethod, ...args: unknown[]): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.#url}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 5_000),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new ExchangeError(timedOut ? 'TIMEOUT' : 'NETWORK', `${method}: ${timedOut ? 'no answer in time' : (err as Error).message}`, {
        ambiguous: WRITES.has(method),
        venue: this.venue,
        cause: err,
      });
    }
    let reply: WireReply;
    try {
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      reply = (await res.json()) as WireReply;
    } catch (err) {
      throw new ExchangeError('MALFORMED_RESPONSE', `${method}: ${(err as Error).message}`, { ambiguous: WRITES.has(method), venue: this.venue, cause: err });
    }
    if (reply.ok) return reply.value as T;
    const e = reply.error;
    throw new ExchangeError(e.code, e.message, { retryable: e.retryable, ambiguous: e.ambiguous, venue: this.venue, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) });
  }

  loadMarkets = () => this.#call<Awaited<ReturnType<ExchangeAdapter['loadMarkets']>>>('loadMarkets');
  fetchTicker = (symbol: string) => this.#call<Awaited<ReturnType<ExchangeAdapter['fetchTicker']>>>('fetchTicker', symbol);
  fetchCandles = (symbol: string, timeframe: string, since?: number, limit?: number) =>
    this.#call<Awaited<ReturnType<ExchangeAdapter['fetchCandles']>>>('fetchCandles', symbol, timeframe, since, limit);
  fetchOrderBook = (symbol: string, depth?: number) => this.#call<Awaited<ReturnType<ExchangeAdapter['fetchOrderBook']>>>('fetchOrderBook', symbol, depth);
  fetchBalances = () => this.#call<Awaited<ReturnType<ExchangeAdapter['fetchBalances']>>>('fetchBalances');
  createOrder = (request: Parameters<ExchangeAdapter['createOrder']>[0]) => this.#call<VenueOrder>('createOrder', request);
  cancelOrder = (ref: Parameters<ExchangeAdapter['cancelOrder']>[0]) => this.#call<VenueOrder>('cancelOrder', ref);
  fetchOrder = (ref: Parameters<ExchangeAdapter['fetchOrder']>[0]) => this.#call<VenueOrder | null>('fetchOrder', ref);
  fetchOpenOrders = (symbol?: string) => this.#call<VenueOrder[]>('fetchOpenOrders', symbol);
  fetchMyTrades = (symbol: string, options?: Parameters<ExchangeAdapter['fetchMyTrades']>[1]) => this.#call<VenueTrade[]>('fetchMyTrades', symbol, options);

  subscribe(listener: VenueStreamListener): () => void {
    let stopped = false;
    const lastTrade = new Map<string, string | undefined>();
    const open = new Map<string, string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const emit = (event: VenueStreamEvent) => {
      if (!stopped) listener(event);
    };
    const poll = async () => {
      for (const symbol of this.#options.symbols) {
        const since = lastTrade.get(symbol);
        const trades = await this.fetchMyTrades(symbol, since === undefined ? {} : { sinceTradeId: since });
        for (const trade of trades) emit({ type: 'trade', trade });
        if (trades.length > 0) lastTrade.set(symbol, trades[trades.length - 1]!.tradeId);
        const now = await this.fetchOpenOrders(symbol);
        const seen = new Set<string>();
        for (const o of now) {
          seen.add(o.clientOrderId);
          const key = `${o.status}:${o.filledQuantity}`;
          if (open.get(o.clientOrderId) !== key) emit({ type: 'order', order: o });
          open.set(o.clientOrderId, key);
        }
        for (const coid of [...open.keys()].filter((c) => !seen.has(c))) {
          open.delete(coid);
          const done = await this.fetchOrder({ clientOrderId: coid, symbol });
          if (done) emit({ type: 'order', order: done });
        }
      }
    };
    const loop = () => {
      if (stopped) return;
      poll()
        .catch(() => {}) // a failed poll is retried on the next round
        .finally(() => {
          if (!stopped) timer = setTimeout(loop, this.#options.pollMs ?? 25);
        });
    };
    // The stream starts after the most recent trades: earlier ones are the business of polls and reconciliation.
    const start = async () => {
      for (const symbol of this.#options.symbols) {
        const t = await this.fetchMyTrades(symbol);
        if (t.length > 0) lastTrade.set(symbol, t[t.length - 1]!.tradeId);
      }
    };
    void start()
      .catch(() => {})
      .finally(loop);
    const unsubscribe = () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      this.#subscriptions.delete(unsubscribe);
    };
    this.#subscriptions.add(unsubscribe);
    return unsubscribe;
  }

  /** Stops every stream poll (the sender keeps its subscription for the adapter's lifetime). */
  close(): void {
    for (const unsubscribe of [...this.#subscriptions]) unsubscribe();
  }
}
