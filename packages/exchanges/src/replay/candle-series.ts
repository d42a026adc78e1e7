import type { VenueCandle } from '../port.ts';

/**
 * Candles as parallel typed arrays (column-wise): compact and fast to scan — the backtester walks
 * a million bars without creating a million objects. `time` is the bar open time in epoch ms.
 */
export interface CandleSeries {
  readonly length: number;
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** Bar `i` as an object (allocates: for the edges, not the hot loop). */
export function candleAt(series: CandleSeries, i: number, shiftMs = 0): VenueCandle {
  if (!Number.isInteger(i) || i < 0 || i >= series.length) throw new RangeError(`candle index ${i} outside 0..${series.length - 1}`);
  return {
    time: series.time[i]! + shiftMs,
    open: series.open[i]!,
    high: series.high[i]!,
    low: series.low[i]!,
    close: series.close[i]!,
    volume: series.volume[i]!,
  };
}

/** The bar duration: the smallest gap between consecutive bars (gaps in the data are larger). */
export function inferBarDuration(series: CandleSeries): number {
  let min = Infinity;
  for (let i = 1; i < series.length; i++) min = Math.min(min, series.time[i]! - series.time[i - 1]!);
  if (!Number.isFinite(min) || min <= 0) throw new RangeError('cannot infer the bar duration from fewer than two bars');
  return min;
}
