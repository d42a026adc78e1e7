import type { Unsubscribe, VenueCandle, VenueStreamEvent } from '../port.ts';

/** Market data events: a traded price, or a bar that has just closed. */
export type MarketEvent = Extract<VenueStreamEvent, { type: 'tick' } | { type: 'candle' }>;
export type MarketListener = (event: MarketEvent) => void;

/** A source of market events (the replay, or a live feed). */
export interface MarketFeed {
  subscribe(listener: MarketListener): Unsubscribe;
}

/** Closed bars, for `fetchCandles` (only bars already published: no look-ahead). */
export interface CandleSource {
  candles(symbol: string, timeframe: string, since?: number, limit?: number): VenueCandle[];
}
