import type { CandleSeries } from '@kestrel/exchanges';
import { Atr, DonchianChannel, Ema, RollingMax, RollingMin, Rsi, Sma, series as valueSeries, type ValueIndicator } from '@kestrel/strategies';

/** The candle field a single-input indicator reads. */
export type PriceSource = 'open' | 'high' | 'low' | 'close';

export const VALUE_INDICATORS = ['sma', 'ema', 'rsi', 'rolling-max', 'rolling-min'] as const;
export type ValueIndicatorName = (typeof VALUE_INDICATORS)[number];
export const INDICATORS = [...VALUE_INDICATORS, 'atr', 'donchian'] as const;
export type IndicatorName = (typeof INDICATORS)[number];

export type IndicatorSpec =
  | { readonly indicator: ValueIndicatorName; readonly period: number; readonly source?: PriceSource }
  | { readonly indicator: 'atr'; readonly period: number }
  /** `lowPeriod`: the lower band's window (default `period`), as the breakout strategy's exit channel. */
  | { readonly indicator: 'donchian'; readonly period: number; readonly lowPeriod?: number };

export interface IndicatorSeries {
  /** The bar open times, the same array as the series'. */
  readonly time: Float64Array;
  /**
   * One value per bar for each line, NaN until the indicator is defined (JSON: null): `value` for
   * every indicator but Donchian, which has `upper`, `middle` and `lower`.
   */
  readonly lines: Readonly<Record<string, Float64Array>>;
}

/**
 * An indicator over a whole candle series, computed by the very classes the strategies trade on
 * (@kestrel/strategies), so a chart shows exactly what a strategy saw at each bar's close. Bad
 * periods throw the indicators' RangeError.
 */
export function indicatorSeries(series: CandleSeries, spec: IndicatorSpec): IndicatorSeries {
  const bars = { high: series.high.subarray(0, series.length), low: series.low.subarray(0, series.length), close: series.close.subarray(0, series.length) };
  const time = series.time.subarray(0, series.length);
  switch (spec.indicator) {
    case 'atr':
      return { time, lines: { value: new Atr(spec.period).series(bars) } };
    case 'donchian': {
      const { upper, middle, lower } = new DonchianChannel(spec.period, spec.lowPeriod).series(bars);
      return { time, lines: { upper, middle, lower } };
    }
    default: {
      const input = series[spec.source ?? 'close'].subarray(0, series.length);
      return { time, lines: { value: valueSeries(valueIndicator(spec.indicator, spec.period), input) } };
    }
  }
}

function valueIndicator(name: ValueIndicatorName, period: number): ValueIndicator {
  switch (name) {
    case 'sma':
      return new Sma(period);
    case 'ema':
      return new Ema(period);
    case 'rsi':
      return new Rsi(period);
    case 'rolling-max':
      return new RollingMax(period);
    case 'rolling-min':
      return new RollingMin(period);
  }
}
