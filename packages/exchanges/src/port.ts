/**
 * The ExchangeAdapter port: what Kestrel needs from a venue, in venue terms. The paper exchange
 * and the ccxt adapter implement it; the trading loop, reconciliation and the backtester only see
 * this.
 *
 * Numbers: every price, quantity, fee and balance crossing this boundary is an exact decimal
 * string ("16726.1", never "1.6e4"), because it ends up in orders and the ledger. Candles and
 * ticks are floats: they feed indicators and strategies (like trading-core's market data), and
 * millions of them would otherwise be converted twice.
 */
export { ExchangeError, isExchangeError, RETRYABLE_BY_DEFAULT } from './exchange-error.ts';
export type { ExchangeErrorCode, ExchangeErrorOptions } from './exchange-error.ts';

export type OrderSide = 'buy' | 'sell';
/** `stop` is a stop-market order (trading-core's `stop_market`); `stop_limit` becomes a limit at `price` when triggered. */
export type VenueOrderType = 'market' | 'limit' | 'stop' | 'stop_limit';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type VenueOrderStatus = 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';
export type Liquidity = 'maker' | 'taker';

export const TERMINAL_VENUE_STATUSES: ReadonlySet<VenueOrderStatus> = new Set(['filled', 'cancelled', 'rejected', 'expired']);

/** Trading rules of one instrument. Quantities are multiples of `lotSize`, prices of `tickSize`. */
export interface VenueMarket {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQty: string;
  /** Minimum quantity × price; "0" when the venue sets none. */
  readonly minNotional: string;
  readonly active: boolean;
}

export interface VenueTicker {
  readonly symbol: string;
  readonly last: string;
  readonly bid: string | null;
  readonly ask: string | null;
  readonly time: number;
}

/** One bar; `time` is the bar's open time (epoch ms, UTC). Floats, see above. */
export interface VenueCandle {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** [price, quantity] */
export type BookLevel = readonly [string, string];

export interface VenueOrderBook {
  readonly symbol: string;
  /** Best (highest) first. */
  readonly bids: readonly BookLevel[];
  /** Best (lowest) first. */
  readonly asks: readonly BookLevel[];
  readonly time: number;
}

export interface VenueBalance {
  readonly free: string;
  /** Reserved by open orders. */
  readonly locked: string;
  readonly total: string;
}

/** Per currency, e.g. `balances.USDT?.free`. */
export type VenueBalances = Readonly<Record<string, VenueBalance>>;

export interface CreateOrderRequest {
  /** Chosen by Kestrel before sending (deterministic); the key for every later lookup. */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: VenueOrderType;
  readonly quantity: string;
  /** Limit price: required for `limit` and `stop_limit`. */
  readonly price?: string;
  /** Trigger price: required for `stop` and `stop_limit`. */
  readonly stopPrice?: string;
  /** Default GTC. */
  readonly timeInForce?: TimeInForce;
}

export interface OrderRef {
  readonly clientOrderId: string;
  readonly symbol: string;
}

export interface VenueOrder {
  readonly venueOrderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: VenueOrderType;
  readonly status: VenueOrderStatus;
  readonly quantity: string;
  readonly filledQuantity: string;
  /** Volume-weighted average fill price, null before the first fill. Informational: book fills from trades. */
  readonly averagePrice: string | null;
  readonly price?: string;
  readonly stopPrice?: string;
  readonly timeInForce?: TimeInForce;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Why the venue expired or rejected it, when it says. */
  readonly reason?: string;
}

export interface VenueTrade {
  /**
   * Unique per venue and increasing: a later execution has a greater id (compare with
   * `compareTradeIds`: numerically for digit strings). (venue, tradeId) identifies a fill.
   */
  readonly tradeId: string;
  readonly venueOrderId: string;
  /** Null when the venue does not report it with trades (e.g. Binance myTrades): match by venueOrderId. */
  readonly clientOrderId: string | null;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: string;
  readonly price: string;
  /** Negative for a maker rebate. */
  readonly fee: string;
  readonly feeCurrency: string;
  readonly liquidity: Liquidity;
  readonly timestamp: number;
}

export interface FetchTradesOptions {
  /** Only trades with an id greater than this one (exclusive). Without it: the venue's most recent page. */
  readonly sinceTradeId?: string;
  /** Page size; the venue's default (and cap) applies when omitted. */
  readonly limit?: number;
}

export type VenueStreamEvent =
  | { readonly type: 'order'; readonly order: VenueOrder }
  | { readonly type: 'trade'; readonly trade: VenueTrade }
  | { readonly type: 'tick'; readonly symbol: string; readonly price: number; readonly time: number }
  | { readonly type: 'candle'; readonly symbol: string; readonly timeframe: string; readonly candle: VenueCandle };

export type VenueStreamListener = (event: VenueStreamEvent) => void;
export type Unsubscribe = () => void;

/**
 * Semantics every implementation keeps:
 * - Every method rejects only with `ExchangeError`. Writes (`createOrder`, `cancelOrder`) reject with
 *   `ambiguous: true` when the outcome is unknown; then look the order up by client order id
 *   before any resend.
 * - `fetchOrder` resolves `null` when the venue says it does not know the order. Right after a
 *   submit that is normal for a while (eventual consistency: the "unknown-order window"): treat
 *   null as "not found yet", require several misses over a window before calling an order lost,
 *   and still apply a fill that arrives later.
 * - `cancelOrder` of an order that is already terminal rejects with ORDER_NOT_FOUND, as venues
 *   do (cancel-vs-fill race): fetch the order for its final state, take the venue's word.
 * - Client order ids are unique among the venue's *open* orders only: a resend of an instantly
 *   filled order can be accepted as a second order. Never resend without a lookup.
 * - Stream events may repeat (the same trade twice) and arrive out of order (fill before the
 *   order's acknowledgement): dedupe fills by (venue, tradeId).
 * - Every response is validated: malformed venue data rejects with MALFORMED_RESPONSE and
 *   changes nothing (for a write that is ambiguous: the order may exist).
 */
export interface ExchangeAdapter {
  readonly venue: string;
  loadMarkets(): Promise<VenueMarket[]>;
  fetchTicker(symbol: string): Promise<VenueTicker>;
  /** Closed bars, oldest first; `since` is inclusive (bar open time). */
  fetchCandles(symbol: string, timeframe: string, since?: number, limit?: number): Promise<VenueCandle[]>;
  fetchOrderBook(symbol: string, depth?: number): Promise<VenueOrderBook>;
  fetchBalances(): Promise<VenueBalances>;
  createOrder(request: CreateOrderRequest): Promise<VenueOrder>;
  cancelOrder(ref: OrderRef): Promise<VenueOrder>;
  fetchOrder(ref: OrderRef): Promise<VenueOrder | null>;
  fetchOpenOrders(symbol?: string): Promise<VenueOrder[]>;
  /** Ascending by trade id. */
  fetchMyTrades(symbol: string, options?: FetchTradesOptions): Promise<VenueTrade[]>;
  subscribe(listener: VenueStreamListener): Unsubscribe;
}
