export { series, type StreamingIndicator, type ValueIndicator, type HighLow, type HighLowClose, type HighLowColumns, type HighLowCloseColumns } from './indicator.ts';
export { Sma } from './sma.ts';
export { Ema } from './ema.ts';
export { Rsi } from './rsi.ts';
export { RollingMax, RollingMin } from './rolling-extreme.ts';
export { DonchianChannel, type DonchianSeries } from './donchian.ts';
export { Atr } from './atr.ts';
