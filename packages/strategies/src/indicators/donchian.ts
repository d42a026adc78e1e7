import { checkFinite, checkPeriod, type HighLow, type HighLowColumns, type StreamingIndicator } from './indicator.ts';

export interface DonchianSeries {
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  readonly middle: Float64Array;
}

/**
 * Donchian channel: upper = highest high of the last `period` bars (the latest included), lower =
 * lowest low of the last `lowPeriod` bars (= `period` unless given, as a breakout strategy's exit
 * channel may be shorter), middle = (upper + lower) / 2. `update` returns the middle; read `upper`
 * and `lower` for the bands. NaN until both windows are full.
 *
 * Amortised O(1) per bar: two monotonic deques (see rolling-extreme.ts) in preallocated rings,
 * updated inline in `push`, which takes the bar object and returns nothing: a strategy calling it
 * passes no float and gets none back, so nothing is boxed even where the JIT does not inline it.
 *
 * A breakout strategy compares a close with the channel of the bars *before* it: read the bands,
 * then push.
 */
export class DonchianChannel implements StreamingIndicator<HighLow> {
  readonly period: number;
  readonly lowPeriod: number;
  readonly #maxValues: Float64Array;
  readonly #maxSeqs: Float64Array;
  readonly #minValues: Float64Array;
  readonly #minSeqs: Float64Array;
  #maxHead = 0;
  #maxSize = 0;
  #minHead = 0;
  #minSize = 0;
  #seq = 0;
  #upper = NaN;
  #lower = NaN;

  constructor(period: number, lowPeriod: number = period) {
    checkPeriod('Donchian', period);
    checkPeriod('Donchian low', lowPeriod);
    this.period = period;
    this.lowPeriod = lowPeriod;
    this.#maxValues = new Float64Array(period);
    this.#maxSeqs = new Float64Array(period);
    this.#minValues = new Float64Array(lowPeriod);
    this.#minSeqs = new Float64Array(lowPeriod);
  }

  get ready(): boolean {
    return this.#seq >= this.period && this.#seq >= this.lowPeriod;
  }

  /** The middle band. */
  get value(): number {
    return this.ready ? (this.#upper + this.#lower) / 2 : NaN;
  }

  get upper(): number {
    return this.#upper;
  }

  get lower(): number {
    return this.#lower;
  }

  get middle(): number {
    return this.value;
  }

  update(bar: HighLow): number {
    this.push(bar);
    return this.value;
  }

  /** `update` without the return value. */
  push(bar: HighLow): void {
    const high = bar.high;
    const low = bar.low;
    checkFinite('Donchian high', high);
    checkFinite('Donchian low', low);
    const seq = this.#seq++;

    // Highest high: values decreasing from front to back.
    let cap = this.period;
    let values = this.#maxValues;
    let seqs = this.#maxSeqs;
    let head = this.#maxHead;
    let size = this.#maxSize;
    if (size > 0 && (seqs[head] as number) <= seq - cap) {
      head = head + 1 === cap ? 0 : head + 1;
      size--;
    }
    while (size > 0) {
      const back = head + size - 1 >= cap ? head + size - 1 - cap : head + size - 1;
      if ((values[back] as number) > high) break;
      size--;
    }
    let slot = head + size >= cap ? head + size - cap : head + size;
    values[slot] = high;
    seqs[slot] = seq;
    this.#maxHead = head;
    this.#maxSize = size + 1;
    if (seq + 1 >= cap) this.#upper = values[head] as number;

    // Lowest low: values increasing from front to back.
    cap = this.lowPeriod;
    values = this.#minValues;
    seqs = this.#minSeqs;
    head = this.#minHead;
    size = this.#minSize;
    if (size > 0 && (seqs[head] as number) <= seq - cap) {
      head = head + 1 === cap ? 0 : head + 1;
      size--;
    }
    while (size > 0) {
      const back = head + size - 1 >= cap ? head + size - 1 - cap : head + size - 1;
      if ((values[back] as number) < low) break;
      size--;
    }
    slot = head + size >= cap ? head + size - cap : head + size;
    values[slot] = low;
    seqs[slot] = seq;
    this.#minHead = head;
    this.#minSize = size + 1;
    if (seq + 1 >= cap) this.#lower = values[head] as number;
  }

  reset(): void {
    this.#maxHead = 0;
    this.#maxSize = 0;
    this.#minHead = 0;
    this.#minSize = 0;
    this.#seq = 0;
    this.#upper = NaN;
    this.#lower = NaN;
  }

  /** Resets, then returns the three bands for every bar (NaN during warm-up). */
  series(bars: HighLowColumns): DonchianSeries {
    this.reset();
    const n = bars.high.length;
    if (bars.low.length !== n) throw new RangeError('Donchian series: high and low must have the same length');
    const upper = new Float64Array(n);
    const lower = new Float64Array(n);
    const middle = new Float64Array(n);
    const bar = { high: 0, low: 0 };
    for (let i = 0; i < n; i++) {
      bar.high = bars.high[i] as number;
      bar.low = bars.low[i] as number;
      middle[i] = this.update(bar);
      upper[i] = this.#upper;
      lower[i] = this.#lower;
    }
    return { upper, lower, middle };
  }
}
