import { AppError, type MarketSymbolView, type TickerView } from '@kestrel/contracts';
import type { VenueCandle, VenueOrderBook } from '@kestrel/exchanges';
import { Dec } from '@kestrel/trading-core';
import type { MarketDataSource, MarketSymbol } from '../trading/runtime/market-data.ts';

/** A price older than this is shown with `stale: true` (tickers, P&L marks). */
export const MARK_STALE_AFTER_MS = 60_000;

export interface Mark {
  readonly price: Dec;
  readonly time: number;
  readonly stale: boolean;
}

/**
 * Market data for the API, over the running MarketDataSource (the same prices for every tenant).
 * Without a feed every call answers 503 DEPENDENCY_UNAVAILABLE; an unknown symbol is 404; a
 * failure of the feed itself is 503, never a 500.
 */
export class MarketQueries {
  readonly #now: () => number;
  readonly staleAfterMs: number;

  constructor(
    private readonly source: MarketDataSource | undefined,
    opts: { staleAfterMs?: number; now?: () => number } = {},
  ) {
    this.#now = opts.now ?? Date.now;
    this.staleAfterMs = opts.staleAfterMs ?? MARK_STALE_AFTER_MS;
  }

  get available(): boolean {
    return this.source !== undefined;
  }

  symbols(): { items: MarketSymbolView[] } {
    return { items: this.#feed().symbols().map((s) => ({ ...s, source: { ...s.source } })) };
  }

  async ticker(symbol: string): Promise<TickerView> {
    const feed = this.#feed();
    this.#symbol(feed, symbol);
    const t = await this.#ask(symbol, () => feed.ticker(symbol));
    return { symbol: t.symbol, last: t.last, bid: t.bid, ask: t.ask, time: t.time, stale: this.isStale(t.time) };
  }

  async candles(q: { symbol: string; timeframe: string; since?: number | undefined; limit: number }): Promise<{ symbol: string; timeframe: string; items: VenueCandle[] }> {
    const feed = this.#feed();
    const info = this.#symbol(feed, q.symbol);
    let items: VenueCandle[];
    try {
      items = await feed.candles(q.symbol, q.timeframe, q.since, q.limit);
    } catch (err) {
      if (err instanceof AppError) throw err;
      // A feed that does not say why it refused another timeframe still gets a useful 400.
      throw q.timeframe !== info.timeframe ? unservedTimeframe(info) : unavailable(q.symbol);
    }
    return { symbol: q.symbol, timeframe: q.timeframe, items: items.slice(-q.limit).map((c) => ({ time: c.time, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume })) };
  }

  async orderBook(symbol: string, depth: number): Promise<{ symbol: string; bids: [string, string][]; asks: [string, string][]; time: number }> {
    const feed = this.#feed();
    this.#symbol(feed, symbol);
    const b = await this.#ask(symbol, () => feed.orderBook(symbol, depth));
    const levels = (side: VenueOrderBook['bids']) => side.slice(0, depth).map(([price, qty]): [string, string] => [price, qty]);
    return { symbol: b.symbol, bids: levels(b.bids), asks: levels(b.asks), time: b.time };
  }

  /** The mark for valuing positions: the last price, or null (no feed, symbol not served, no price yet). */
  async mark(symbol: string): Promise<Mark | null> {
    if (!this.source || !this.source.symbols().some((s) => s.symbol === symbol)) return null;
    try {
      const t = await this.source.ticker(symbol);
      return { price: new Dec(t.last), time: t.time, stale: this.isStale(t.time) };
    } catch {
      return null;
    }
  }

  isStale(time: number): boolean {
    return this.#now() - time > this.staleAfterMs;
  }

  #feed(): MarketDataSource {
    if (!this.source) throw new AppError('DEPENDENCY_UNAVAILABLE', 'The market data feed is not running on this server, so there are no prices: try again shortly, or start the backend with its market feed.');
    return this.source;
  }

  #symbol(feed: MarketDataSource, symbol: string): MarketSymbol {
    const info = feed.symbols().find((s) => s.symbol === symbol);
    if (!info) throw new AppError('NOT_FOUND', `No market data for ${symbol}: GET /api/market/symbols lists the symbols served.`);
    return info;
  }

  async #ask<T>(symbol: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw unavailable(symbol);
    }
  }
}

function unservedTimeframe(info: MarketSymbol): AppError {
  return new AppError('VALIDATION_FAILED', `${info.symbol} is served in ${info.timeframe} bars: ask for timeframe=${info.timeframe}.`, {
    details: [{ path: '/timeframe', where: 'querystring', message: `served: ${info.timeframe}` }],
  });
}

function unavailable(symbol: string): AppError {
  return new AppError('DEPENDENCY_UNAVAILABLE', `The market feed could not answer for ${symbol} right now; try again shortly.`);
}
