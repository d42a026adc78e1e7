import { candleListSchema, marketSymbolListSchema, orderBookSchema, tickerSchema } from '@kestrel/contracts';
import type { HttpClient } from '../http.ts';

export const marketApi = (http: HttpClient) => ({
  symbols: () => http.request(marketSymbolListSchema, { path: '/api/market/symbols' }),
  ticker: (symbol: string) => http.request(tickerSchema, { path: '/api/market/ticker', query: { symbol } }),
  /** Closed bars, oldest first; `since` is a bar open time (epoch ms, inclusive). */
  candles: (q: { symbol: string; timeframe: string; since?: number; limit?: number }) => http.request(candleListSchema, { path: '/api/market/candles', query: q }),
  orderBook: (symbol: string, depth?: number) => http.request(orderBookSchema, { path: '/api/market/orderbook', query: { symbol, depth } }),
});
