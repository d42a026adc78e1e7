import { readFile } from 'node:fs/promises';
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

const FIELDS = ['timestamp_ms', 'open', 'high', 'low', 'close', 'volume'] as const;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const COMMA = 44;
const LF = 10;
const CR = 13;
const DOT = 46;

/**
 * Parses `timestamp_ms,open,high,low,close,volume` into typed arrays. A header line is skipped;
 * blank lines and CRLF are fine. Every line is checked — six finite numbers, an integer timestamp
 * strictly after the previous one, low ≤ open, close ≤ high, prices > 0, volume ≥ 0 — and the
 * first bad line throws CandleCsvError with its line number.
 *
 * One pass over the characters, no per-line strings: a plain decimal with at most 15 significant
 * digits is mantissa / 10^k (two exact doubles, one correctly rounded division: the same double
 * as `Number(text)`); anything else (exponent notation, signs, longer numbers) goes to `Number`.
 */
export function parseCandlesCsv(text: string, options: { source?: string } = {}): CandleSeries {
  let capacity = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) capacity++;
  const time = new Float64Array(capacity);
  const open = new Float64Array(capacity);
  const high = new Float64Array(capacity);
  const low = new Float64Array(capacity);
  const close = new Float64Array(capacity);
  const volume = new Float64Array(capacity);
  const row = new Float64Array(6);
  const len = text.length;

  let n = 0;
  let line = 1;
  let i = 0;
  const first = text.charCodeAt(0);
  if (len > 0 && !(first >= 48 && first <= 57) && first !== DOT && first !== LF && first !== CR) {
    // The header: skip the first line.
    const nl = text.indexOf('\n');
    i = nl === -1 ? len : nl + 1;
    line = 2;
  }

  let lineStart = i;
  let fieldStart = i;
  let field = 0;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  let slow = false;
  for (; i <= len; i++) {
    const c = i < len ? text.charCodeAt(i) : LF;
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
    if (fieldStart === i) fail(options.source, line, field < 6 ? `${FIELDS[field]} is empty` : 'too many fields');
    if (field > 5) fail(options.source, line, `expected 6 fields (${FIELDS.join(',')}), got more`);
    let value: number;
    if (slow || digits > 15 || fraction > 22) value = Number(text.slice(fieldStart, i));
    else value = fraction > 0 ? mantissa / POW10[fraction]! : mantissa;
    if (!Number.isFinite(value)) fail(options.source, line, `${FIELDS[field]} is not a number: ${JSON.stringify(text.slice(fieldStart, Math.min(i, fieldStart + 30)))}`);
    row[field++] = value;
    mantissa = 0;
    digits = 0;
    fraction = -1;
    slow = false;
    fieldStart = i + 1;
    if (!isEnd) continue;

    if (field !== 6) fail(options.source, line, `expected 6 fields (${FIELDS.join(',')}), got ${field}`);
    const t = row[0]!;
    const o = row[1]!;
    const h = row[2]!;
    const l = row[3]!;
    const cl = row[4]!;
    const v = row[5]!;
    if (!Number.isSafeInteger(t) || t < 0) fail(options.source, line, `timestamp_ms must be a non-negative integer, got ${t}`);
    if (n > 0 && t <= time[n - 1]!) fail(options.source, line, `timestamp ${t} is not after the previous bar's ${time[n - 1]}`);
    if (!(l > 0)) fail(options.source, line, `prices must be positive, low is ${l}`);
    if (l > o || l > cl || h < o || h < cl) fail(options.source, line, `inconsistent bar: open ${o} high ${h} low ${l} close ${cl}`);
    if (v < 0) fail(options.source, line, `volume is negative: ${v}`);
    time[n] = t;
    open[n] = o;
    high[n] = h;
    low[n] = l;
    close[n] = cl;
    volume[n] = v;
    n++;
    field = 0;
    if (c === LF) line++;
    lineStart = fieldStart = i + 1;
  }
  return {
    length: n,
    time: time.subarray(0, n),
    open: open.subarray(0, n),
    high: high.subarray(0, n),
    low: low.subarray(0, n),
    close: close.subarray(0, n),
    volume: volume.subarray(0, n),
  };
}

export async function readCandlesCsv(path: string): Promise<CandleSeries> {
  return parseCandlesCsv(await readFile(path, 'utf8'), { source: path });
}

function fail(source: string | undefined, line: number, message: string): never {
  throw new CandleCsvError(line, message, source);
}
