import type { Unsubscribe, VenueCandle, VenueOrderBook, VenueTicker } from '@kestrel/exchanges';

/** A symbol the platform has market data for, and where the data comes from. */
export interface MarketSymbol {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQty: string;
  readonly minNotional: string;
  /** Bar duration of the feed ("1s", "1m", …): candles of this timeframe are served and pushed. */
  readonly timeframe: string;
  /**
   * `replay`: historical bars played as a live market (the paper venue's default). `dataset` names
   * the file and `speed` how much faster than the data's own time it plays.
   */
  readonly source: { readonly kind: 'replay'; readonly dataset: string; readonly speed: number; readonly dataTimeframe: string } | { readonly kind: 'venue'; readonly venue: string };
}

export type MarketDataEvent =
  | { readonly type: 'tick'; readonly symbol: string; readonly price: number; readonly time: number }
  | { readonly type: 'candle'; readonly symbol: string; readonly timeframe: string; readonly candle: VenueCandle };

/**
 * Market data for REST and socket pushes (not per account: the same prices for every tenant). The
 * embedded default serves the replay that feeds the paper venues (runtime/paper-market.ts).
 */
export interface MarketDataSource {
  symbols(): readonly MarketSymbol[];
  /** Rejects with AppError NOT_FOUND for an unknown symbol. */
  ticker(symbol: string): Promise<VenueTicker>;
  /** Closed bars, oldest first; `since` inclusive (bar open time, epoch ms); at most `limit` (default 500). */
  candles(symbol: string, timeframe: string, since?: number, limit?: number): Promise<VenueCandle[]>;
  orderBook(symbol: string, depth?: number): Promise<VenueOrderBook>;
  /** Every tick and closed candle of every symbol, as they happen. */
  subscribe(listener: (event: MarketDataEvent) => void): Unsubscribe;
}
