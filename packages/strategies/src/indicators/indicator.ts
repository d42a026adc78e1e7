/**
 * Streaming indicators: each `update` is O(1) (amortised for the rolling extremes) and allocates
 * nothing; buffers are preallocated at construction. Before an indicator has seen enough input,
 * `update` and `value` return NaN and `ready` is false.
 *
 * Inputs must be finite: a NaN or an infinity would poison running sums for good, so `update`
 * throws a RangeError on one (the host should never pass a malformed candle on anyway).
 */
export interface StreamingIndicator<I> {
  /** Feeds one input; returns the new value (NaN until warmed up). */
  update(input: I): number;
  /** true once `value` is defined. */
  readonly ready: boolean;
  /** The latest value (NaN until warmed up). */
  readonly value: number;
  /** Forgets every input, as if just constructed (keeps the buffers). */
  reset(): void;
}

/** An indicator over a single float stream (closes, or any series). */
export type ValueIndicator = StreamingIndicator<number>;

/** The candle fields the candle-based indicators read. */
export interface HighLow {
  readonly high: number;
  readonly low: number;
}
export interface HighLowClose extends HighLow {
  readonly close: number;
}

/** Column-wise bars, as the research API and backtester hold them. */
export interface HighLowColumns {
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
}
export interface HighLowCloseColumns extends HighLowColumns {
  readonly close: ArrayLike<number>;
}

/** Throws unless `period` is an integer in [min, max]. */
export function checkPeriod(name: string, period: number, min = 1, max = 1_000_000): void {
  if (!Number.isInteger(period) || period < min || period > max) {
    throw new RangeError(`${name} period must be an integer from ${min} to ${max}, got ${period}`);
  }
}

/** Throws on NaN and ±Infinity (x - x is 0 only for finite x). */
export function checkFinite(name: string, x: number): void {
  if (x - x !== 0) throw new RangeError(`${name}: input must be a finite number, got ${x}`);
}

/**
 * Batch helper: resets `indicator`, feeds it every value and returns the values it produced
 * (NaN during warm-up), one per input. The indicator is left in the state after the last input.
 */
export function series(indicator: ValueIndicator, values: ArrayLike<number>): Float64Array {
  indicator.reset();
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = indicator.update(values[i] as number);
  return out;
}
