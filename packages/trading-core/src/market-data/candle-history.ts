import type { Candle } from './candle.ts';

/**
 * Read access to recent candles, newest first: `close(0)` is the latest close, `close(1)` the one
 * before. Out of range gives NaN. No allocation per read.
 */
export interface CandleWindow {
  readonly length: number;
  readonly capacity: number;
  time(ago: number): number;
  open(ago: number): number;
  high(ago: number): number;
  low(ago: number): number;
  close(ago: number): number;
  volume(ago: number): number;
}

/**
 * A fixed-size ring of candles stored column-wise in Float64Arrays: `push` copies six numbers and
 * allocates nothing, so a backtest can feed millions of candles through it.
 */
export class CandleHistory implements CandleWindow {
  readonly capacity: number;
  #length = 0;
  #head = -1;
  readonly #time: Float64Array;
  readonly #open: Float64Array;
  readonly #high: Float64Array;
  readonly #low: Float64Array;
  readonly #close: Float64Array;
  readonly #volume: Float64Array;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`CandleHistory capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#time = new Float64Array(capacity);
    this.#open = new Float64Array(capacity);
    this.#high = new Float64Array(capacity);
    this.#low = new Float64Array(capacity);
    this.#close = new Float64Array(capacity);
    this.#volume = new Float64Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  push(c: Candle): void {
    const i = (this.#head + 1) % this.capacity;
    this.#head = i;
    this.#time[i] = c.time;
    this.#open[i] = c.open;
    this.#high[i] = c.high;
    this.#low[i] = c.low;
    this.#close[i] = c.close;
    this.#volume[i] = c.volume;
    if (this.#length < this.capacity) this.#length++;
  }

  clear(): void {
    this.#length = 0;
    this.#head = -1;
  }

  time(ago: number): number {
    return this.#read(this.#time, ago);
  }
  open(ago: number): number {
    return this.#read(this.#open, ago);
  }
  high(ago: number): number {
    return this.#read(this.#high, ago);
  }
  low(ago: number): number {
    return this.#read(this.#low, ago);
  }
  close(ago: number): number {
    return this.#read(this.#close, ago);
  }
  volume(ago: number): number {
    return this.#read(this.#volume, ago);
  }

  #read(column: Float64Array, ago: number): number {
    if (!(ago >= 0 && ago < this.#length)) return NaN;
    const i = (this.#head - Math.floor(ago) + this.capacity) % this.capacity;
    return column[i] ?? NaN;
  }
}
