import type { UTCTimestamp, LineData, WhitespaceData } from 'lightweight-charts';

/** A bar as the market API sends it (epoch ms open time). */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** A fill drawn on the chart, at the open time (epoch ms) of the bar it happened in. */
export interface ChartMarker {
  time: number;
  side: 'buy' | 'sell';
  text: string;
}

/** One point of a line: epoch ms, and null where the value is not defined (an indicator warming up). */
export interface LinePoint {
  time: number;
  value: number | null;
}

/** A line over time: an indicator over the candles, an equity curve. */
export interface ChartLine {
  id: string;
  label: string;
  color: string;
  points: readonly LinePoint[];
  /** Candle chart: 0 (default) on the price scale; 1 in a pane below, for oscillators such as RSI. */
  pane?: number;
}

/** Points as lightweight-charts wants them: seconds, and a gap (whitespace) where the value is null. */
export function toLineData(points: readonly LinePoint[]): Array<LineData<UTCTimestamp> | WhitespaceData<UTCTimestamp>> {
  return points.map((p) => (p.value === null ? { time: (p.time / 1000) as UTCTimestamp } : { time: (p.time / 1000) as UTCTimestamp, value: p.value }));
}
