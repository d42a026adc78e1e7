import { candleListSchema, candleQuerySchema, marketSymbolListSchema, orderBookQuerySchema, orderBookSchema, tickerQuerySchema, tickerSchema } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import { ANY_ROLE } from '../plugins/auth.ts';
import type { MarketQueries } from '../services/market.ts';
import { errorResponses } from './error-responses.ts';

const tags = ['market'];
const security = [{ bearer: [] }];

/** Market data of the running feed (the same for every tenant): 503 DEPENDENCY_UNAVAILABLE when no feed runs. */
export function registerMarketRoutes(app: KestrelServer, deps: { market: MarketQueries }) {
  app.get(
    '/api/market/symbols',
    { config: { access: ANY_ROLE }, schema: { tags, security, summary: 'Symbols with market data, their trading steps, candle timeframe and data source', response: { 200: marketSymbolListSchema, ...errorResponses } } },
    async () => deps.market.symbols(),
  );

  app.get(
    '/api/market/ticker',
    {
      config: { access: ANY_ROLE },
      schema: { tags, security, summary: 'Last price, best bid and ask of a symbol; `stale: true` when the price is older than the staleness threshold', querystring: tickerQuerySchema, response: { 200: tickerSchema, ...errorResponses } },
    },
    async (req) => deps.market.ticker(req.query.symbol),
  );

  app.get(
    '/api/market/candles',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags,
        security,
        summary: 'Closed bars, oldest first: the latest `limit` (≤ 1000), or from `since` (inclusive, epoch ms). A timeframe the symbol is not served in is 400.',
        querystring: candleQuerySchema,
        response: { 200: candleListSchema, ...errorResponses },
      },
    },
    async (req) => deps.market.candles(req.query),
  );

  app.get(
    '/api/market/orderbook',
    {
      config: { access: ANY_ROLE },
      schema: { tags, security, summary: 'Order book snapshot, `depth` levels a side (≤ 100)', querystring: orderBookQuerySchema, response: { 200: orderBookSchema, ...errorResponses } },
    },
    async (req) => deps.market.orderBook(req.query.symbol, req.query.depth),
  );
}
