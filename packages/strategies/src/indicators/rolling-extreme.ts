import { checkFinite, checkPeriod, series, type ValueIndicator } from './indicator.ts';

/**
 * Rolling maximum / minimum of the last `period` values in amortised O(1): a monotonic deque
 * (values decreasing from front to back for the maximum, increasing for the minimum) kept in two
 * preallocated ring arrays, values and their sequence numbers. Each value enters and leaves the
 * deque at most once; the front is the window's extreme. The deque never holds more than `period`
 * entries, so the rings never grow. (The two classes repeat the same few lines on purpose: one
 * small method each is what the JIT inlines into a strategy's onCandle, which keeps it
 * allocation-free.)
 */
export class RollingMax implements ValueIndicator {
  readonly period: number;
  readonly #values: Float64Array;
  readonly #seqs: Float64Array;
  #head = 0;
  #size = 0;
  #seq = 0;
  #value = NaN;

  constructor(period: number) {
    checkPeriod('RollingMax', period);
    this.period = period;
    this.#values = new Float64Array(period);
    this.#seqs = new Float64Array(period);
  }

  get ready(): boolean {
    return this.#seq >= this.period;
  }

  /** Highest of the last `period` values (NaN until `period` values were seen). */
  get value(): number {
    return this.#value;
  }

  update(x: number): number {
    checkFinite('RollingMax', x);
    const cap = this.period;
    const values = this.#values;
    const seqs = this.#seqs;
    const seq = this.#seq++;
    let head = this.#head;
    let size = this.#size;
    // Drop the front when it leaves the window [seq − period + 1, seq].
    if (size > 0 && (seqs[head] as number) <= seq - cap) {
      head = head + 1 === cap ? 0 : head + 1;
      size--;
    }
    // Drop from the back every value the new one dominates (ties: keep the newer).
    while (size > 0) {
      const back = head + size - 1 >= cap ? head + size - 1 - cap : head + size - 1;
      if ((values[back] as number) > x) break;
      size--;
    }
    const slot = head + size >= cap ? head + size - cap : head + size;
    values[slot] = x;
    seqs[slot] = seq;
    this.#head = head;
    this.#size = size + 1;
    if (seq + 1 >= cap) this.#value = values[head] as number;
    return this.#value;
  }

  reset(): void {
    this.#head = 0;
    this.#size = 0;
    this.#seq = 0;
    this.#value = NaN;
  }

  series(values: ArrayLike<number>): Float64Array {
    return series(this, values);
  }
}

/** Lowest of the last `period` values: RollingMax with the comparison reversed. */
export class RollingMin implements ValueIndicator {
  readonly period: number;
  readonly #values: Float64Array;
  readonly #seqs: Float64Array;
  #head = 0;
  #size = 0;
  #seq = 0;
  #value = NaN;

  constructor(period: number) {
    checkPeriod('RollingMin', period);
    this.period = period;
    this.#values = new Float64Array(period);
    this.#seqs = new Float64Array(period);
  }

  get ready(): boolean {
    return this.#seq >= this.period;
  }

  /** Lowest of the last `period` values (NaN until `period` values were seen). */
  get value(): number {
    return this.#value;
  }

  update(x: number): number {
    checkFinite('RollingMin', x);
    const cap = this.period;
    const values = this.#values;
    const seqs = this.#seqs;
    const seq = this.#seq++;
    let head = this.#head;
    let size = this.#size;
    if (size > 0 && (seqs[head] as number) <= seq - cap) {
      head = head + 1 === cap ? 0 : head + 1;
      size--;
    }
    while (size > 0) {
      const back = head + size - 1 >= cap ? head + size - 1 - cap : head + size - 1;
      if ((values[back] as number) < x) break;
      size--;
    }
    const slot = head + size >= cap ? head + size - cap : head + size;
    values[slot] = x;
    seqs[slot] = seq;
    this.#head = head;
    this.#size = size + 1;
    if (seq + 1 >= cap) this.#value = values[head] as number;
    return this.#value;
  }

  reset(): void {
    this.#head = 0;
    this.#size = 0;
    this.#seq = 0;
    this.#value = NaN;
  }

  series(values: ArrayLike<number>): Float64Array {
    return series(this, values);
  }
}
