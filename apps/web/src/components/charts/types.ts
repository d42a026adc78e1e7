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
