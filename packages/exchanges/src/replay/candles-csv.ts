import { open } from 'node:fs/promises';
import type { CandleSeries } from './candle-series.ts';

export class CandleCsvError extends Error {
  override readonly name = 'CandleCsvError';
  /** 1-based line number in the file. */
  readonly line: number;

  constructor(line: number, message: string, source?: string) {
    super(`${source ?? 'candles'}:${line}: ${message}`);
    this.line = line;
  }
}

export interface CandleCsvOptions {
  /** Named in error messages (a file path, "upload"). */
  readonly source?: string;
  /**
   * The smallest allowed step between consecutive bars, in ms (a dataset's timeframe): a bar
   * closer to the previous one is an error. Without it timestamps only have to increase.
   */
  readonly minStepMs?: number;
  /** Expected input size, to size the columns once instead of growing them. */
  readonly expectedBytes?: number;
}

export interface CandleCsvProgress {
  /** Bytes read so far. */
  readonly bytes: number;
  /** Bars parsed so far. */
  readonly bars: number;
}

const FIELDS = ['timestamp_ms', 'open', 'high', 'low', 'close', 'volume'] as const;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const COMMA = 44;
const LF = 10;
const CR = 13;
const DOT = 46;
/** Typical bytes per line, to turn an expected size into a row count. */
const BYTES_PER_LINE_ESTIMATE = 40;
/** No candle line comes near this; a longer one means the input is not line-separated CSV. */
const MAX_LINE_BYTES = 65_536;
const latin1 = new TextDecoder('latin1');
/** File read size: large enough that the per-read overhead vanishes, small enough to stay out of RSS. */
const READ_BYTES = 1 << 20;

/**
 * Parses `timestamp_ms,open,high,low,close,volume` pushed as byte chunks of any size (a chunk may
 * end inside a number or between CR and LF) into growing typed arrays. A header line is skipped;
 * blank lines and CRLF are fine. Every line is checked — six finite numbers, an integer timestamp
 * strictly after the previous one (at least `minStepMs` after it when given), low ≤ open, close ≤
 * high, prices > 0, volume ≥ 0 — and the first bad line throws CandleCsvError with its line number.
 *
 * Complete lines are parsed straight from the pushed chunk; only the unfinished last line of a
 * chunk is copied and carried to the next. One pass over the bytes, no per-line strings: a plain
 * decimal with at most 15 significant digits is mantissa / 10^k (two exact doubles, one correctly
 * rounded division: the same double as `Number(text)`); anything else (exponent notation, signs,
 * longer numbers) goes to `Number`.
 */
export class CandleCsvParser {
  readonly #source: string | undefined;
  readonly #minStep: number;
  #time: Float64Array;
  #open: Float64Array;
  #high: Float64Array;
  #low: Float64Array;
  #close: Float64Array;
  #volume: Float64Array;
  #n = 0;
  /** Line number of the next line to parse. */
  #line = 1;
  #bytes = 0;
  #started = false;
  #skipHeader = false;
  /** The unfinished last line of the previous chunk. */
  #carry: Uint8Array | null = null;

  constructor(options: CandleCsvOptions = {}) {
    this.#source = options.source;
    this.#minStep = options.minStepMs ?? Number.MIN_VALUE;
    const capacity = Math.max(1024, Math.ceil((options.expectedBytes ?? 0) / BYTES_PER_LINE_ESTIMATE));
    this.#time = new Float64Array(capacity);
    this.#open = new Float64Array(capacity);
    this.#high = new Float64Array(capacity);
    this.#low = new Float64Array(capacity);
    this.#close = new Float64Array(capacity);
    this.#volume = new Float64Array(capacity);
  }

  get bytes(): number {
    return this.#bytes;
  }

  get bars(): number {
    return this.#n;
  }

  /** Parses the complete lines of `chunk` (the caller may reuse the chunk's memory afterwards). */
  push(chunk: Uint8Array): void {
    this.#bytes += chunk.length;
    let pos = 0;
    if (!this.#started && chunk.length > 0) {
      this.#started = true;
      // A UTF-8 byte order mark, then: a first line that does not start like a number is the header.
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) pos = 3;
      const first = chunk[pos];
      this.#skipHeader = first !== undefined && !(first >= 48 && first <= 57) && first !== DOT && first !== LF && first !== CR;
    }
    if (this.#carry) {
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        this.#carry = concat(this.#carry, chunk);
        // Only a partial line is carried: without this bound a file with no line feeds would be
        // copied again with every chunk.
        if (this.#carry.length > MAX_LINE_BYTES) this.#fail(this.#line, `line is longer than ${MAX_LINE_BYTES} bytes: lines must end with LF or CRLF`);
        return;
      }
      const line = concat(this.#carry, chunk.subarray(0, nl + 1));
      this.#carry = null;
      this.#parseLines(line, 0, line.length);
      pos = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(LF);
    if (lastNl >= pos) {
      this.#parseLines(chunk, pos, lastNl + 1);
      pos = lastNl + 1;
    }
    if (pos < chunk.length) this.#carry = chunk.slice(pos);
  }

  /** Parses what is left (a last line without a line feed) and returns the bars. */
  finish(): CandleSeries {
    if (this.#carry) {
      const last = concat(this.#carry, Uint8Array.of(LF));
      this.#carry = null;
      this.#parseLines(last, 0, last.length);
    }
    const n = this.#n;
    return {
      length: n,
      time: this.#time.subarray(0, n),
      open: this.#open.subarray(0, n),
      high: this.#high.subarray(0, n),
      low: this.#low.subarray(0, n),
      close: this.#close.subarray(0, n),
      volume: this.#volume.subarray(0, n),
    };
  }

  /** Parses whole lines: `end` is just after a line feed. The hot loop: locals only. */
  #parseLines(buf: Uint8Array, start: number, end: number): void {
    let i = start;
    let line = this.#line;
    if (this.#skipHeader) {
      this.#skipHeader = false;
      i = buf.indexOf(LF, i) + 1;
      line++;
    }
    const row = ROW;
    let n = this.#n;
    let time = this.#time;
    let lineStart = i;
    let fieldStart = i;
    let field = 0;
    let mantissa = 0;
    let digits = 0;
    let fraction = -1;
    let slow = false;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        if (mantissa > 0) digits++;
        if (fraction >= 0) fraction++;
        continue;
      }
      if (c === DOT && fraction < 0) {
        fraction = 0;
        continue;
      }
      if (c !== COMMA && c !== LF && c !== CR) {
        slow = true;
        continue;
      }
      const isEnd = c !== COMMA;
      if (isEnd && i === lineStart) {
        // A blank line (or the LF of a CRLF).
        if (c === LF) line++;
        lineStart = fieldStart = i + 1;
        continue;
      }
      if (fieldStart === i) this.#fail(line, field < 6 ? `${FIELDS[field]} is empty` : 'too many fields');
      if (field > 5) this.#fail(line, `expected 6 fields (${FIELDS.join(',')}), got more`);
      let value: number;
      if (slow || digits > 15 || fraction > 22) value = Number(latin1.decode(buf.subarray(fieldStart, i)));
      else value = fraction > 0 ? mantissa / POW10[fraction]! : mantissa;
      if (!Number.isFinite(value)) this.#fail(line, `${FIELDS[field]} is not a number: ${JSON.stringify(latin1.decode(buf.subarray(fieldStart, Math.min(i, fieldStart + 30))))}`);
      row[field++] = value;
      mantissa = 0;
      digits = 0;
      fraction = -1;
      slow = false;
      fieldStart = i + 1;
      if (!isEnd) continue;

      if (field !== 6) this.#fail(line, `expected 6 fields (${FIELDS.join(',')}), got ${field}`);
      const t = row[0]!;
      const o = row[1]!;
      const h = row[2]!;
      const l = row[3]!;
      const cl = row[4]!;
      const v = row[5]!;
      if (!Number.isSafeInteger(t) || t < 0) this.#fail(line, `timestamp_ms must be a non-negative integer, got ${t}`);
      if (n > 0 && t - time[n - 1]! < this.#minStep) {
        this.#fail(line, t <= time[n - 1]! ? `timestamp ${t} is not after the previous bar's ${time[n - 1]}` : `timestamp ${t} is less than one bar (${this.#minStep} ms) after the previous bar's ${time[n - 1]} (is the timeframe right?)`);
      }
      if (!(l > 0)) this.#fail(line, `prices must be positive, low is ${l}`);
      if (l > o || l > cl || h < o || h < cl) this.#fail(line, `inconsistent bar: open ${o} high ${h} low ${l} close ${cl}`);
      if (v < 0) this.#fail(line, `volume is negative: ${v}`);
      if (n === time.length) {
        this.#n = n;
        this.#grow();
        time = this.#time;
      }
      time[n] = t;
      this.#open[n] = o;
      this.#high[n] = h;
      this.#low[n] = l;
      this.#close[n] = cl;
      this.#volume[n] = v;
      n++;
      field = 0;
      if (c === LF) line++;
      lineStart = fieldStart = i + 1;
    }
    this.#n = n;
    this.#line = line;
  }

  #grow(): void {
    const size = this.#time.length * 2;
    const grown = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.#time = grown(this.#time);
    this.#open = grown(this.#open);
    this.#high = grown(this.#high);
    this.#low = grown(this.#low);
    this.#close = grown(this.#close);
    this.#volume = grown(this.#volume);
  }

  #fail(line: number, message: string): never {
    throw new CandleCsvError(line, message, this.#source);
  }
}

/** One row's six values while it is parsed (shared: parsing is synchronous). */
const ROW = new Float64Array(6);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The whole CSV as one string (small inputs, tests); files and uploads stream through CandleCsvParser. */
export function parseCandlesCsv(text: string, options: Omit<CandleCsvOptions, 'expectedBytes'> = {}): CandleSeries {
  const parser = new CandleCsvParser({ ...options, expectedBytes: text.length });
  parser.push(new TextEncoder().encode(text));
  return parser.finish();
}

/**
 * Parses a stream of CSV bytes (a file stream, an HTTP body) chunk by chunk; `onProgress` hears
 * after every chunk and at the end. The input is never held whole: only the columns grow.
 */
export async function parseCandlesCsvStream(
  input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: CandleCsvOptions & { readonly onProgress?: (p: CandleCsvProgress) => void } = {},
): Promise<CandleSeries> {
  const parser = new CandleCsvParser(options);
  for await (const chunk of input) {
    parser.push(chunk);
    options.onProgress?.({ bytes: parser.bytes, bars: parser.bars });
  }
  const series = parser.finish();
  // Once more: a last line without a line feed is parsed only now.
  options.onProgress?.({ bytes: parser.bytes, bars: series.length });
  return series;
}

/**
 * A candle CSV file as typed arrays, read in fixed-size chunks into one reused buffer: the file is
 * never held whole (a 40 MB file costs its columns, 48 bytes a bar, and one megabyte).
 * `onProgress` hears after every chunk, with the file size. Throws CandleCsvError (with the line)
 * on the first bad line.
 */
export async function readCandlesCsvFile(path: string, onProgress?: (p: CandleCsvProgress & { readonly totalBytes: number }) => void): Promise<CandleSeries> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const parser = new CandleCsvParser({ source: path, expectedBytes: size });
    const buffer = new Uint8Array(Math.min(READ_BYTES, Math.max(size, 1)));
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      parser.push(buffer.subarray(0, bytesRead));
      onProgress?.({ bytes: parser.bytes, bars: parser.bars, totalBytes: size });
    }
    return parser.finish();
  } finally {
    await file.close();
  }
}

/** readCandlesCsvFile without progress (the name earlier callers use). */
export function readCandlesCsv(path: string): Promise<CandleSeries> {
  return readCandlesCsvFile(path);
}
