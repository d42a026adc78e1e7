import { checkFinite, checkPeriod, type HighLowClose, type HighLowCloseColumns, type StreamingIndicator } from './indicator.ts';

/**
 * Average True Range with Wilder's smoothing. True range = max(high − low, |high − previous
 * close|, |low − previous close|), defined from the second bar on (as technicalindicators does);
 * the first ATR is the mean of the first `period` true ranges (so it comes with bar period + 1),
 * then atr += (tr − atr) / period.
 */
export class Atr implements StreamingIndicator<HighLowClose> {
  readonly period: number;
  #prevClose = NaN;
  #count = 0;
  #seedSum = 0;
  #value = NaN;

  constructor(period: number) {
    checkPeriod('ATR', period);
    this.period = period;
  }

  get ready(): boolean {
    return this.#count >= this.period;
  }

  get value(): number {
    return this.#value;
  }

  update(bar: HighLowClose): number {
    return this.next(bar.high, bar.low, bar.close);
  }

  /** `update` without a bar object. */
  next(high: number, low: number, close: number): number {
    checkFinite('ATR high', high);
    checkFinite('ATR low', low);
    checkFinite('ATR close', close);
    const pc = this.#prevClose;
    this.#prevClose = close;
    if (pc !== pc) return this.#value;
    const tr = Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc));
    if (this.#count >= this.period) {
      this.#value = (tr - this.#value) / this.period + this.#value;
      return this.#value;
    }
    this.#seedSum += tr;
    this.#count++;
    if (this.#count === this.period) this.#value = this.#seedSum / this.period;
    return this.#value;
  }

  reset(): void {
    this.#prevClose = NaN;
    this.#count = 0;
    this.#seedSum = 0;
    this.#value = NaN;
  }

  /** Resets, then returns the ATR for every bar (NaN during warm-up). */
  series(bars: HighLowCloseColumns): Float64Array {
    this.reset();
    const n = bars.close.length;
    if (bars.high.length !== n || bars.low.length !== n) throw new RangeError('ATR series: high, low and close must have the same length');
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next(bars.high[i] as number, bars.low[i] as number, bars.close[i] as number);
    return out;
  }
}
