import { ExchangeError } from '../exchange-error.ts';
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
  VenueStreamListener,
  VenueTicker,
  VenueTrade,
} from '../port.ts';
import type { Clock } from '../time/clock.ts';
import { compareTradeIds } from '../trade-id.ts';
import { malformed } from '../validation/venue-schemas.ts';
import type { CcxtClient } from './ccxt-client.ts';
import { toVenueBalances, toVenueCandles, toVenueMarkets, toVenueOrder, toVenueOrderBook, toVenueTicker, toVenueTrade, type MapContext } from './ccxt-mappers.ts';
import { dialectFor, type CcxtDialect } from './dialects.ts';
import { translateCcxtError } from './error-translation.ts';
import { installResponseCapture } from './response-capture.ts';

export interface CcxtAdapterOptions {
  /** Default: the venue's entry in DIALECTS, else ccxt's unified names. */
  readonly dialect?: CcxtDialect;
  /** Default: the wall clock (a live adapter). Used for Retry-After dates and venues that omit timestamps. */
  readonly clock?: Clock;
  /** Stream events are produced by `poll()`; a listener that throws is reported here. Default console.error. */
  readonly onListenerError?: (error: unknown) => void;
}

const wallClock: Clock = { now: () => Date.now() };

/**
 * A live venue through ccxt behind the ExchangeAdapter port. Every call goes through `#call`,
 * which translates ccxt's errors into ExchangeError (retryable vs terminal, ambiguous for writes
 * whose outcome is unknown) and validates every response before anything is returned.
 *
 * Streams: ccxt's REST API has none, and ccxt.pro websockets are not wired yet. `poll(symbols)`
 * (called by the owner on its scheduler) fetches open orders and trades since the last seen trade
 * id and emits them as stream events, so the trading loop sees one kind of stream either way.
 */
export class CcxtAdapter implements ExchangeAdapter {
  readonly venue: string;
  readonly #client: CcxtClient;
  readonly #dialect: CcxtDialect;
  readonly #clock: Clock;
  readonly #listeners: VenueStreamListener[] = [];
  readonly #onListenerError: (error: unknown) => void;
  readonly #lastTradeId = new Map<string, string>();

  constructor(client: CcxtClient, options: CcxtAdapterOptions = {}) {
    this.#client = client;
    this.venue = client.id;
    this.#dialect = options.dialect ?? dialectFor(client.id);
    this.#clock = options.clock ?? wallClock;
    this.#onListenerError = options.onListenerError ?? ((e) => console.error(`${client.id}: stream listener failed`, e));
    installResponseCapture(client);
  }

  loadMarkets(): Promise<VenueMarket[]> {
    return this.#call('read', async (ctx) => toVenueMarkets(await this.#client.loadMarkets(true), this.#client.precisionMode, ctx));
  }

  fetchTicker(symbol: string): Promise<VenueTicker> {
    return this.#call('read', async (ctx) => toVenueTicker(await this.#client.fetchTicker(symbol), ctx));
  }

  fetchCandles(symbol: string, timeframe: string, since?: number, limit?: number): Promise<VenueCandle[]> {
    return this.#call('read', async (ctx) => toVenueCandles(await this.#client.fetchOHLCV(symbol, timeframe, since, limit), ctx));
  }

  fetchOrderBook(symbol: string, depth?: number): Promise<VenueOrderBook> {
    return this.#call('read', async (ctx) => toVenueOrderBook(await this.#client.fetchOrderBook(symbol, depth), symbol, ctx));
  }

  fetchBalances(): Promise<VenueBalances> {
    return this.#call('read', async (ctx) => toVenueBalances(await this.#client.fetchBalance(), ctx));
  }

  createOrder(request: CreateOrderRequest): Promise<VenueOrder> {
    return this.#call('write', async (ctx) => {
      const params: Record<string, unknown> = { [this.#dialect.clientOrderIdParam]: request.clientOrderId };
      if (request.type === 'stop' || request.type === 'stop_limit') params['triggerPrice'] = Number(request.stopPrice);
      if (request.timeInForce && request.type !== 'market' && request.type !== 'stop') params['timeInForce'] = request.timeInForce;
      const type = request.type === 'limit' || request.type === 'stop_limit' ? 'limit' : 'market';
      const price = type === 'limit' ? Number(request.price) : undefined;
      const raw = await this.#client.createOrder(request.symbol, type, request.side, Number(request.quantity), price, params);
      const order = toVenueOrder(raw, ctx);
      if (order.clientOrderId !== request.clientOrderId) {
        return malformed(`createOrder answered for client order id ${order.clientOrderId}, not ${request.clientOrderId}`, { venue: this.venue, ambiguous: true });
      }
      return order;
    });
  }

  cancelOrder(ref: OrderRef): Promise<VenueOrder> {
    return this.#call('write', async (ctx) => {
      const param = this.#dialect.lookupByClientIdParam;
      let raw: unknown;
      if (param) raw = await this.#client.cancelOrder(undefined, ref.symbol, { [param]: ref.clientOrderId });
      else {
        const found = await this.#findOrder(ref, ctx);
        if (!found) throw new ExchangeError('ORDER_NOT_FOUND', `${this.venue}: no order with client order id ${ref.clientOrderId}`, { venue: this.venue });
        raw = await this.#client.cancelOrder(found.venueOrderId, ref.symbol);
      }
      const field = this.#dialect.cancelledClientIdField;
      const info = (raw as { info?: Record<string, unknown> } | null)?.info;
      const answeredFor = field && info && typeof info[field] === 'string' ? (info[field] as string) : ref.clientOrderId;
      if (answeredFor !== ref.clientOrderId) {
        return malformed(`cancelOrder answered for client order id ${answeredFor}, not ${ref.clientOrderId}`, { venue: this.venue, ambiguous: true });
      }
      return toVenueOrder(raw, ctx, ref.clientOrderId);
    });
  }

  fetchOrder(ref: OrderRef): Promise<VenueOrder | null> {
    return this.#call('read', async (ctx) => {
      const param = this.#dialect.lookupByClientIdParam;
      if (!param) return this.#findOrder(ref, ctx);
      try {
        return toVenueOrder(await this.#client.fetchOrder(undefined, ref.symbol, { [param]: ref.clientOrderId }), ctx);
      } catch (error) {
        if (translateCcxtError(error, { ...ctx, dialect: this.#dialect }).code === 'ORDER_NOT_FOUND') return null;
        throw error;
      }
    });
  }

  fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    return this.#call('read', async (ctx) => this.#orders(await this.#client.fetchOpenOrders(symbol), ctx));
  }

  fetchMyTrades(symbol: string, options: FetchTradesOptions = {}): Promise<VenueTrade[]> {
    return this.#call('read', async (ctx) => {
      const since = options.sinceTradeId;
      const param = this.#dialect.tradesFromIdParam;
      const params = since !== undefined && param ? { [param]: since } : {};
      const raw = await this.#client.fetchMyTrades(symbol, undefined, options.limit, params);
      if (!Array.isArray(raw)) return malformed('fetchMyTrades did not answer a list', { venue: this.venue });
      const trades = raw.map((t) => toVenueTrade(t, ctx)).filter((t) => since === undefined || compareTradeIds(t.tradeId, since) > 0);
      return trades.sort((a, b) => compareTradeIds(a.tradeId, b.tradeId));
    });
  }

  subscribe(listener: VenueStreamListener): Unsubscribe {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  /**
   * One polling round for the stream: each symbol's open orders and its trades since the last
   * trade seen by an earlier round (the first round only sets the mark). Call it on a timer.
   */
  async poll(symbols: readonly string[]): Promise<void> {
    for (const symbol of symbols) {
      const since = this.#lastTradeId.get(symbol);
      const trades = await this.fetchMyTrades(symbol, since === undefined ? {} : { sinceTradeId: since });
      const last = trades[trades.length - 1];
      if (last) this.#lastTradeId.set(symbol, last.tradeId);
      if (since !== undefined) for (const trade of trades) this.#emit({ type: 'trade', trade });
      for (const order of await this.fetchOpenOrders(symbol)) this.#emit({ type: 'order', order });
    }
  }

  // ---- plumbing ------------------------------------------------------------------------------

  async #call<T>(kind: 'read' | 'write', run: (ctx: MapContext) => Promise<T>): Promise<T> {
    const ctx: MapContext = { venue: this.venue, write: kind === 'write', now: this.#clock.now() };
    try {
      return await run(ctx);
    } catch (error) {
      throw translateCcxtError(error, { ...ctx, now: this.#clock.now(), dialect: this.#dialect });
    }
  }

  #orders(raw: unknown, ctx: MapContext): VenueOrder[] {
    if (!Array.isArray(raw)) return malformed('expected a list of orders', { venue: this.venue });
    return raw.map((o) => toVenueOrder(o, ctx));
  }

  /** For venues that cannot look an order up by client id: search open, then closed orders. */
  async #findOrder(ref: OrderRef, ctx: MapContext): Promise<VenueOrder | null> {
    const open = this.#orders(await this.#client.fetchOpenOrders(ref.symbol), ctx);
    const hit = open.find((o) => o.clientOrderId === ref.clientOrderId);
    if (hit) return hit;
    if (!this.#client.has['fetchClosedOrders']) return null;
    const closed = this.#orders(await this.#client.fetchClosedOrders(ref.symbol), ctx);
    return closed.filter((o) => o.clientOrderId === ref.clientOrderId).pop() ?? null;
  }

  #emit(event: Parameters<VenueStreamListener>[0]): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
