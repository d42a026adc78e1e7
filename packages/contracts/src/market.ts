import { z } from 'zod';

/**
 * Market data over REST (`/api/market/*`) and on /trading (`market.tick`, `market.candle` in the
 * room `market:<symbol>`). The same prices for every tenant. Prices and quantities of tickers and
 * books are decimal strings; candles are numbers (float analytics and charts, as venues send them).
 * Times are epoch milliseconds, UTC.
 */

export const MAX_CANDLES = 1000;
export const MAX_BOOK_DEPTH = 100;

export const marketSymbolParamSchema = z
  .string()
  .regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, 'a symbol is BASE/QUOTE in upper case, e.g. BTC/USDT: GET /api/market/symbols lists them')
  .describe('BASE/QUOTE, e.g. BTC/USDT (URL-encode the slash as %2F or send it as is)');

export const timeframeSchema = z
  .string()
  .regex(/^[1-9]\d{0,3}[smhdw]$/, 'a timeframe is a count and a unit s, m, h, d or w, e.g. 1m, 5m, 1h, 1d')
  .describe('bar duration, e.g. 5m; GET /api/market/symbols says which one each symbol serves');

export const marketSymbolSchema = z
  .object({
    symbol: z.string(),
    base: z.string(),
    quote: z.string(),
    tickSize: z.string(),
    lotSize: z.string(),
    minQty: z.string(),
    minNotional: z.string(),
    timeframe: z.string().describe('the bar duration of the feed: candles of this timeframe are served and pushed'),
    source: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('replay'), dataset: z.string(), speed: z.number(), dataTimeframe: z.string() }).describe('historical bars played as a live market'),
      z.object({ kind: z.literal('venue'), venue: z.string() }),
    ]),
  })
  .meta({ id: 'MarketSymbol' });
export type MarketSymbolView = z.infer<typeof marketSymbolSchema>;
export const marketSymbolListSchema = z.object({ items: z.array(marketSymbolSchema) }).meta({ id: 'MarketSymbolList' });

export const tickerQuerySchema = z.object({ symbol: marketSymbolParamSchema }).strict();
export const tickerSchema = z
  .object({
    symbol: z.string(),
    last: z.string(),
    bid: z.string().nullable(),
    ask: z.string().nullable(),
    time: z.number().int().describe('time of the last price, epoch ms'),
    stale: z.boolean().describe('true when the last price is older than the staleness threshold (the feed is behind or stopped)'),
  })
  .meta({ id: 'Ticker' });
export type TickerView = z.infer<typeof tickerSchema>;

export const candleSchema = z
  .object({ time: z.number().int().describe('bar open time, epoch ms'), open: z.number(), high: z.number(), low: z.number(), close: z.number(), volume: z.number() })
  .meta({ id: 'Candle' });
export const candleQuerySchema = z
  .object({
    symbol: marketSymbolParamSchema,
    timeframe: timeframeSchema,
    since: z.coerce.number().int().min(0, 'since is a bar open time in epoch ms (0 or more)').optional().describe('inclusive, bar open time in epoch ms; without it the latest bars'),
    limit: z.coerce
      .number()
      .int()
      .min(1, 'limit is at least 1')
      .max(MAX_CANDLES, `limit is at most ${MAX_CANDLES}: page with since=<time of the last bar + 1> for more`)
      .default(500),
  })
  .strict();
export const candleListSchema = z.object({ symbol: z.string(), timeframe: z.string(), items: z.array(candleSchema).describe('closed bars, oldest first') }).meta({ id: 'CandleList' });

export const orderBookQuerySchema = z
  .object({
    symbol: marketSymbolParamSchema,
    depth: z.coerce.number().int().min(1, 'depth is at least 1').max(MAX_BOOK_DEPTH, `depth is at most ${MAX_BOOK_DEPTH}`).default(20),
  })
  .strict();
const bookLevelSchema = z.tuple([z.string(), z.string()]).describe('[price, quantity]');
export const orderBookSchema = z
  .object({ symbol: z.string(), bids: z.array(bookLevelSchema).describe('best (highest) first'), asks: z.array(bookLevelSchema).describe('best (lowest) first'), time: z.number().int() })
  .meta({ id: 'OrderBook' });

/** `market.tick` on /trading: the last traded price, at most a few per second per symbol. */
export const marketTickEventSchema = z.object({ symbol: z.string(), price: z.string(), time: z.number().int() }).meta({ id: 'MarketTick' });
export type MarketTickEvent = z.infer<typeof marketTickEventSchema>;
/** `market.candle` on /trading: a bar that has just closed. */
export const marketCandleEventSchema = z.object({ symbol: z.string(), timeframe: z.string(), candle: candleSchema }).meta({ id: 'MarketCandleEvent' });
export type MarketCandleEvent = z.infer<typeof marketCandleEventSchema>;

/** Client→server on /trading: join or leave `market:<symbol>` (acknowledged like subscribe.profile). */
export const subscribeMarketRequestSchema = z.object({ symbol: marketSymbolParamSchema }).strict();
