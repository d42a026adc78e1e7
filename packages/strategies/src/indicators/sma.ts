import { checkFinite, checkPeriod, series, type ValueIndicator } from './indicator.ts';

/**
 * Simple moving average over the last `period` values: a ring buffer and a running sum.
 *
 * The running sum is compensated: each add and subtract is an error-free TwoSum whose rounding
 * error goes to a second accumulator, so the sum does not drift over millions of updates and a
 * window that repeats the same value keeps the same sum. The value is (sum + compensation) /
 * period. Branch-free, a few more flops than a plain running sum.
 *
 * This matters for crossings: real prices make exact ties between two averages (ORCL 2003, bar
 * 2389: SMA 10 = SMA 30 = 11.375), and a plain running sum breaks such a tie by rounding, so
 * another engine would see the cross one bar early. With the compensated sum the values agree
 * with summing each window afresh (and with an exactly rounded sum, as backtrader's fsum).
 */
export class Sma implements ValueIndicator {
  readonly period: number;
  readonly #ring: Float64Array;
  #next = 0;
  #count = 0;
  #sum = 0;
  #comp = 0;
  #value = NaN;

  constructor(period: number) {
    checkPeriod('SMA', period);
    this.period = period;
    this.#ring = new Float64Array(period);
  }

  get ready(): boolean {
    return this.#count === this.period;
  }

  get value(): number {
    return this.#value;
  }

  update(x: number): number {
    checkFinite('SMA', x);
    const ring = this.#ring;
    const i = this.#next;
    // The slot holds 0 until the window is full, so subtracting it is a no-op then.
    const old = ring[i] as number;
    ring[i] = x;
    this.#next = i + 1 === this.period ? 0 : i + 1;
    let s = this.#sum;
    let c = this.#comp;
    let t = s + x;
    let v = t - s;
    c += s - (t - v) + (x - v);
    s = t;
    t = s - old;
    v = t - s;
    c += s - (t - v) - (old + v);
    this.#sum = t;
    this.#comp = c;
    if (this.#count < this.period && ++this.#count < this.period) return NaN;
    return (this.#value = (t + c) / this.period);
  }

  reset(): void {
    this.#ring.fill(0);
    this.#next = 0;
    this.#count = 0;
    this.#sum = 0;
    this.#comp = 0;
    this.#value = NaN;
  }

  series(values: ArrayLike<number>): Float64Array {
    return series(this, values);
  }
}
