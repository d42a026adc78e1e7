/**
 * Research statistics over candle series (the research API's engine): indicator series computed by
 * the strategies' own indicators, return and risk statistics, a correlation matrix across symbols
 * and seasonality. Pure functions over CandleSeries; undefined statistics are null, never NaN.
 */
export { barReturns, moments, type BarReturns, type Moments } from './bar-returns.ts';
export { indicatorSeries, INDICATORS, VALUE_INDICATORS, type IndicatorName, type IndicatorSeries, type IndicatorSpec, type PriceSource, type ValueIndicatorName } from './indicator-series.ts';
export { returnStats, DEFAULT_HISTOGRAM_BINS, YEAR_MS, type Drawdown, type Histogram, type ReturnStats, type ReturnStatsOptions } from './return-stats.ts';
export { correlationMatrix, type CorrelationMatrix } from './correlation.ts';
export { seasonality, type Seasonality, type SeasonalityBucket } from './seasonality.ts';
