/**
 * Market data as floats: candles and ticks feed strategies and indicators, where floats are fine.
 * Exact decimals begin at orders (see decimal/dec.ts).
 */
export interface Candle {
  /** Open time, epoch ms. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface Tick {
  readonly time: number;
  readonly price: number;
  readonly size?: number;
  readonly bid?: number;
  readonly ask?: number;
}
