import { checkFinite, checkPeriod, series, type ValueIndicator } from './indicator.ts';

/**
 * Exponential moving average with α = 2 / (period + 1), seeded with the simple average of the
 * first `period` values (the usual definition, and technicalindicators'): the first value comes
 * with the `period`-th input, then ema += (x − ema) · α.
 */
export class Ema implements ValueIndicator {
  readonly period: number;
  readonly alpha: number;
  #count = 0;
  #seedSum = 0;
  #value = NaN;

  constructor(period: number) {
    checkPeriod('EMA', period);
    this.period = period;
    this.alpha = 2 / (period + 1);
  }

  get ready(): boolean {
    return this.#count >= this.period;
  }

  get value(): number {
    return this.#value;
  }

  update(x: number): number {
    checkFinite('EMA', x);
    if (this.#count >= this.period) {
      this.#value = (x - this.#value) * this.alpha + this.#value;
      return this.#value;
    }
    this.#seedSum += x;
    this.#count++;
    if (this.#count === this.period) this.#value = this.#seedSum / this.period;
    return this.#value;
  }

  reset(): void {
    this.#count = 0;
    this.#seedSum = 0;
    this.#value = NaN;
  }

  series(values: ArrayLike<number>): Float64Array {
    return series(this, values);
  }
}
