import { endianness } from 'node:os';
import type { CandleGap } from '@kestrel/db';
import type { CandleSeries } from '@kestrel/exchanges';

/**
 * The storage format of candle chunks and the column arithmetic around it: pure functions over
 * typed arrays, no database. A chunk's bytes are its six Float64 columns back to back (time, open,
 * high, low, close, volume) in little-endian order, so a chunk is copied in and out with six
 * memcpys — a million bars decode in milliseconds, without a million objects.
 */

/** Bars per stored chunk (the migration's CHECK allows up to this many). */
export const CHUNK_BARS = 10_000;
/** Gaps kept in full on a dataset (the coverage list shows these; the rest are counted). */
const MAX_LISTED_GAPS = 100;

const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
const BYTES_PER_BAR = 8 * COLUMNS.length;

// Typed arrays use the machine's byte order; the stored format is little-endian, as are the
// machines Kestrel runs on: refuse loudly elsewhere rather than store bytes another machine misreads.
if (endianness() !== 'LE') throw new Error('The candle store needs a little-endian machine (x86-64, arm64).');

interface MutableSeries {
  length: number;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

function allocSeries(length: number): MutableSeries {
  return {
    length,
    time: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

/** Bars [start, end) as one chunk's bytes. */
export function encodeChunk(series: CandleSeries, start: number, end: number): Uint8Array {
  const n = end - start;
  const out = new Float64Array(n * COLUMNS.length);
  COLUMNS.forEach((c, k) => out.set(series[c].subarray(start, end), k * n));
  return new Uint8Array(out.buffer);
}

/** Decoded chunks laid end to end (they are read oldest first and never overlap). */
export function decodeChunks(chunks: ReadonlyArray<{ bars: number; data: Uint8Array }>): CandleSeries {
  const series = allocSeries(chunks.reduce((sum, c) => sum + c.bars, 0));
  let at = 0;
  for (const { bars, data } of chunks) {
    if (data.byteLength !== bars * BYTES_PER_BAR) throw new Error(`candle chunk of ${bars} bars has ${data.byteLength} bytes, expected ${bars * BYTES_PER_BAR}`);
    // Byte-wise copies: the driver's buffer need not be 8-byte aligned for a Float64Array view.
    COLUMNS.forEach((c, k) => new Uint8Array(series[c].buffer, at * 8, bars * 8).set(data.subarray(k * bars * 8, (k + 1) * bars * 8)));
    at += bars;
  }
  return series;
}

/** The time column of one chunk's bytes (its first `bars × 8` bytes). */
export function decodeTimes(parts: ReadonlyArray<Uint8Array>): Float64Array {
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const times = new Float64Array(total / 8);
  let at = 0;
  for (const p of parts) {
    new Uint8Array(times.buffer, at, p.byteLength).set(p);
    at += p.byteLength;
  }
  return times;
}

/** Bars with from ≤ time < to (a view, no copy). */
export function sliceByTime(series: CandleSeries, from = -Infinity, to = Infinity): CandleSeries {
  const lo = lowerBound(series.time, from);
  const hi = Math.max(lo, lowerBound(series.time, to));
  return sliceSeries(series, lo, hi);
}

function sliceSeries(series: CandleSeries, start: number, end: number): CandleSeries {
  return {
    length: end - start,
    time: series.time.subarray(start, end),
    open: series.open.subarray(start, end),
    high: series.high.subarray(start, end),
    low: series.low.subarray(start, end),
    close: series.close.subarray(start, end),
    volume: series.volume.subarray(start, end),
  };
}

/** First index whose time is ≥ t. */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Stored bars merged with incoming ones by timestamp, both oldest first; where both have a bar the
 * incoming one wins (a re-import corrects data). `replaced` counts those.
 */
export function mergeSeries(stored: CandleSeries, incoming: CandleSeries): { series: CandleSeries; replaced: number } {
  const out = allocSeries(stored.length + incoming.length);
  let i = 0;
  let j = 0;
  let n = 0;
  let replaced = 0;
  while (i < stored.length || j < incoming.length) {
    const ts = i < stored.length ? stored.time[i]! : Infinity;
    const tn = j < incoming.length ? incoming.time[j]! : Infinity;
    const fromIncoming = tn <= ts;
    if (tn === ts) {
      replaced++;
      i++;
    }
    const src = fromIncoming ? incoming : stored;
    const k = fromIncoming ? j++ : i++;
    for (const c of COLUMNS) out[c][n] = src[c][k]!;
    n++;
  }
  return { series: sliceSeries(out, 0, n), replaced };
}

/**
 * Gaps: consecutive bars more than one bar apart. A gap's missing bars are the whole bar slots
 * between the two (rounded up when the data is not aligned to the timeframe). Bars are never
 * invented: this only reports.
 */
export function findGaps(times: Float64Array, barMs: number): { count: number; missingBars: number; listed: CandleGap[] } {
  let count = 0;
  let missingBars = 0;
  const listed: CandleGap[] = [];
  for (let i = 1; i < times.length; i++) {
    const step = times[i]! - times[i - 1]!;
    if (step <= barMs) continue;
    const missing = Math.ceil(step / barMs) - 1;
    count++;
    missingBars += missing;
    if (listed.length < MAX_LISTED_GAPS) listed.push({ from: times[i - 1]!, to: times[i]!, missingBars: missing });
  }
  return { count, missingBars, listed };
}

/** The first place where two consecutive bars are closer than one bar (a timeframe that does not fit the data). */
export function firstStepBelow(times: Float64Array, barMs: number): number {
  for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! < barMs) return i;
  return -1;
}
