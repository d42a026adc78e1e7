import { checkFinite, checkPeriod, series, type ValueIndicator } from './indicator.ts';

/**
 * Rolling maximum / minimum of the last `period` values in amortised O(1): a monotonic deque kept
 * in two preallocated ring arrays, values and their sequence numbers. Each value enters and leaves
 * the deque at most once; the front is the window's extreme, and the deque never holds more than
 * `period` entries, so the rings never grow. One implementation serves both: the minimum keeps
 * negated values (a multiplication, no call), so `update` stays one small method the JIT inlines.
 */
class RollingExtreme implements ValueIndicator {
  readonly period: number;
  readonly #name: string;
  /** 1 for the maximum, −1 for the minimum. */
  readonly #sign: number;
  readonly #values: Float64Array;
  readonly #seqs: Float64Array;
  #head = 0;
  #size = 0;
  #seq = 0;
  #value = NaN;

  constructor(name: string, period: number, sign: 1 | -1) {
    checkPeriod(name, period);
    this.period = period;
    this.#name = name;
    this.#sign = sign;
    this.#values = new Float64Array(period);
    this.#seqs = new Float64Array(period);
  }

  get ready(): boolean {
    return this.#seq >= this.period;
  }

  /** The extreme of the last `period` values (NaN until `period` values were seen). */
  get value(): number {
    return this.#value;
  }

  update(input: number): number {
    checkFinite(this.#name, input);
    const x = input * this.#sign;
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
    if (seq + 1 >= cap) this.#value = (values[head] as number) * this.#sign;
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

/** Highest of the last `period` values. */
export class RollingMax extends RollingExtreme {
  constructor(period: number) {
    super('RollingMax', period, 1);
  }
}

/** Lowest of the last `period` values. */
export class RollingMin extends RollingExtreme {
  constructor(period: number) {
    super('RollingMin', period, -1);
  }
}
