/**
 * The part of a ccxt `Exchange` instance the adapter uses, typed structurally with `unknown`
 * results: whatever ccxt returns is validated before it is trusted (ccxt's own typings promise
 * numbers that a venue can still send as null or NaN). Any `new ccxt.<venue>(…)` fits; so does a
 * test double. This package never imports ccxt itself, so loading it stays cheap for the
 * backtester; `createCcxtAdapter` imports ccxt on demand.
 */
export interface CcxtClient {
  readonly id: string;
  readonly has: Readonly<Record<string, unknown>>;
  /** ccxt's precision mode: 2 = DECIMAL_PLACES, 3 = SIGNIFICANT_DIGITS, 4 = TICK_SIZE. */
  readonly precisionMode: number | undefined;
  loadMarkets(reload?: boolean): Promise<unknown>;
  fetchTicker(symbol: string): Promise<unknown>;
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<unknown>;
  fetchOrderBook(symbol: string, limit?: number): Promise<unknown>;
  fetchBalance(): Promise<unknown>;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<unknown>;
  cancelOrder(id: string | undefined, symbol?: string, params?: Record<string, unknown>): Promise<unknown>;
  fetchOrder(id: string | undefined, symbol?: string, params?: Record<string, unknown>): Promise<unknown>;
  fetchOpenOrders(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<unknown>;
  fetchClosedOrders(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<unknown>;
  fetchMyTrades(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<unknown>;
  /** ccxt's response error hook (see response-capture.ts). */
  handleErrors(
    code: number,
    reason: string,
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string,
    response: unknown,
    requestHeaders: unknown,
    requestBody: unknown,
  ): unknown;
  handleHttpStatusCode(code: number, reason: string, url: string, method: string, body: string): unknown;
}

export const PRECISION_DECIMAL_PLACES = 2;
export const PRECISION_SIGNIFICANT_DIGITS = 3;
export const PRECISION_TICK_SIZE = 4;
