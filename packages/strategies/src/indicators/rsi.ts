import { checkFinite, checkPeriod, series, type ValueIndicator } from './indicator.ts';

/**
 * Relative Strength Index with Wilder's smoothing (J. Welles Wilder, 1978):
 * - change = close − previous close; gain = max(change, 0), loss = max(−change, 0);
 * - the first average gain/loss is the simple mean of the first `period` changes, so the first
 *   value comes with the (period + 1)-th close;
 * - then avg = (avg · (period − 1) + current) / period;
 * - RSI = 100 − 100 / (1 + avgGain / avgLoss): 100 when avgLoss is 0, 0 when avgGain is 0, and
 *   50 when both are 0 (no movement at all over the window: neither overbought nor oversold;
 *   technicalindicators says 100 there, TA-Lib 0; the definition leaves it open).
 *
 * technicalindicators computes the same averages but rounds its RSI to 2 decimals; this one does
 * not round.
 */
export class Rsi implements ValueIndicator {
  readonly period: number;
  #prev = NaN;
  #changes = 0;
  #gainSum = 0;
  #lossSum = 0;
  #avgGain = NaN;
  #avgLoss = NaN;
  #value = NaN;

  constructor(period: number) {
    checkPeriod('RSI', period);
    this.period = period;
  }

  get ready(): boolean {
    return this.#changes >= this.period;
  }

  get value(): number {
    return this.#value;
  }

  /** Wilder's average gain (NaN until ready). */
  get avgGain(): number {
    return this.#avgGain;
  }

  /** Wilder's average loss, positive (NaN until ready). */
  get avgLoss(): number {
    return this.#avgLoss;
  }

  update(x: number): number {
    checkFinite('RSI', x);
    const prev = this.#prev;
    this.#prev = x;
    if (prev !== prev) return this.#value; // first close: no change yet
    const change = x - prev;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    const n = this.period;
    if (this.#changes >= n) {
      this.#avgGain = (this.#avgGain * (n - 1) + gain) / n;
      this.#avgLoss = (this.#avgLoss * (n - 1) + loss) / n;
    } else {
      this.#gainSum += gain;
      this.#lossSum += loss;
      this.#changes++;
      if (this.#changes < n) return this.#value;
      this.#avgGain = this.#gainSum / n;
      this.#avgLoss = this.#lossSum / n;
    }
    const g = this.#avgGain;
    const l = this.#avgLoss;
    this.#value = l === 0 ? (g === 0 ? 50 : 100) : g === 0 ? 0 : 100 - 100 / (1 + g / l);
    return this.#value;
  }

  reset(): void {
    this.#prev = NaN;
    this.#changes = 0;
    this.#gainSum = 0;
    this.#lossSum = 0;
    this.#avgGain = NaN;
    this.#avgLoss = NaN;
    this.#value = NaN;
  }

  series(values: ArrayLike<number>): Float64Array {
    return series(this, values);
  }
}
