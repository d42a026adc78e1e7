import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CandleSeries } from './candle-series.ts';
import { CandleCsvError, CandleCsvParser, parseCandlesCsv, parseCandlesCsvStream, readCandlesCsvFile } from './candles-csv.ts';
import { CANDLES_DIR } from './testing-data.ts';

const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
const FILES = readdirSync(CANDLES_DIR).filter((f) => f.endsWith('.csv'));

/** The same bars, column by column, value by value. */
function expectSame(a: CandleSeries, b: CandleSeries) {
  expect(a.length).toBe(b.length);
  for (const c of COLUMNS) expect(Array.from(a[c]), c).toEqual(Array.from(b[c]));
}

/** An independent reading of a file: split and Number, nothing shared with the parser. */
function naive(text: string): number[][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('timestamp'))
    .map((l) => l.split(',').map(Number));
}

function pushInPieces(bytes: Uint8Array, size: number, options: ConstructorParameters<typeof CandleCsvParser>[0] = {}): CandleSeries {
  const parser = new CandleCsvParser(options);
  // One reused buffer, like a file read loop: the parser must copy what it keeps.
  const buffer = new Uint8Array(size);
  for (let i = 0; i < bytes.length; i += size) {
    const piece = bytes.subarray(i, i + size);
    buffer.set(piece);
    parser.push(buffer.subarray(0, piece.length));
    buffer.fill(0x21);
  }
  return parser.finish();
}

function errorOf(fn: () => unknown): CandleCsvError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CandleCsvError);
    return e as CandleCsvError;
  }
  throw new Error('expected a CandleCsvError');
}

describe('streaming candle CSV parser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(FILES)('%s: pieces of 1, 7 and 4093 bytes give the same bars as parseCandlesCsv and as a naive reading', (name) => {
    const bytes = readFileSync(CANDLES_DIR + name);
    const whole = parseCandlesCsv(bytes.toString('utf8'));
    const rows = naive(bytes.toString('utf8'));
    expect(whole.length).toBe(rows.length);
    for (const [i, row] of rows.entries()) {
      if (i % 97 !== 0 && i !== rows.length - 1) continue;
      COLUMNS.forEach((c, k) => expect(whole[c][i], `${name} row ${i} ${c}`).toBe(row[k]));
    }
    for (const size of [7, 4093]) expectSame(pushInPieces(bytes, size), whole);
    // Byte by byte on the start of the file (every boundary inside every kind of field).
    const head = bytes.subarray(0, bytes.lastIndexOf(10, 3000) + 1);
    expectSame(pushInPieces(head, 1), parseCandlesCsv(head.toString('utf8')));
  });

  it('CRLF split between CR and LF, blank lines and a last line without a line feed', () => {
    const text = 'timestamp_ms,open,high,low,close,volume\r\n1000,5.33e-05,5.33e-05,5.288e-05,5.29e-05,1\r\n\r\n2000,1,2,0.5,1.5,0\r\n3000,1.25,2,0.5,1.5,7';
    const bytes = new TextEncoder().encode(text);
    for (let size = 1; size <= bytes.length; size++) {
      const s = pushInPieces(bytes, size);
      expect(Array.from(s.time), `pieces of ${size}`).toEqual([1000, 2000, 3000]);
      expect(s.open[0]).toBe(0.0000533);
      expect(s.volume[2]).toBe(7);
    }
  });

  it('keeps line numbers across pieces and blank lines', () => {
    const bytes = new TextEncoder().encode('timestamp_ms,open,high,low,close,volume\r\n1000,1,2,0.5,1.5,1\r\n\r\n\n2000,1,2,0.5,1.5,1\r\n3000,1,2,0.5,1.5,-4\r\n');
    for (const size of [1, 2, 5, 13, 64]) {
      const err = errorOf(() => pushInPieces(bytes, size, { source: 'up.csv' }));
      expect(err.line).toBe(6);
      expect(err.message).toBe('up.csv:6: volume is negative: -4');
    }
  });

  it('a UTF-8 byte order mark before the header is fine', () => {
    const s = pushInPieces(new TextEncoder().encode('\uFEFFtimestamp_ms,open,high,low,close,volume\n1000,1,2,0.5,1.5,1\n'), 5);
    expect(s.length).toBe(1);
  });

  it('minStepMs: a bar closer than one bar to the previous one is an error naming the line', () => {
    const text = '0,1,2,0.5,1.5,1\n300000,1,2,0.5,1.5,1\n360000,1,2,0.5,1.5,1\n';
    expect(parseCandlesCsv(text).length).toBe(3);
    const err = errorOf(() => parseCandlesCsv(text, { minStepMs: 300_000, source: 's' }));
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/less than one bar \(300000 ms\) after the previous bar's 300000/);
  });

  it('refuses a line longer than 64 KiB (input that is not line-separated CSV) without copying it again and again', () => {
    const parser = new CandleCsvParser();
    const junk = new Uint8Array(16_384).fill(0x31);
    const err = errorOf(() => {
      for (let i = 0; i < 100; i++) parser.push(junk);
    });
    expect(err.message).toMatch(/longer than 65536 bytes/);
  });

  it('parseCandlesCsvStream reports progress per chunk and at the end', async () => {
    const bytes = readFileSync(`${CANDLES_DIR}orcl-1995-2014.csv`);
    const seen: Array<{ bytes: number; bars: number }> = [];
    async function* pieces() {
      for (let i = 0; i < bytes.length; i += 50_000) yield bytes.subarray(i, i + 50_000);
    }
    const s = await parseCandlesCsvStream(pieces(), { onProgress: (p) => seen.push(p) });
    expect(s.length).toBe(5036);
    expect(seen.at(-1)).toEqual({ bytes: bytes.length, bars: 5036 });
    expect(seen.map((p) => p.bytes)).toEqual([...seen.map((p) => p.bytes)].sort((a, b) => a - b));
    expect(seen.length).toBe(Math.ceil(bytes.length / 50_000) + 1);
  });

  it('readCandlesCsvFile reads a file larger than its read buffer, with progress against the file size', async () => {
    // ~3 MB: the FESX file four times, each copy 63 days later (the benchmark recipe, small).
    const lines = readFileSync(`${CANDLES_DIR}fesx-2006-01-02-volume-min-001.csv`, 'utf8').trim().split('\n').slice(1);
    const out = ['timestamp_ms,open,high,low,close,volume'];
    for (let k = 0; k < 4; k++) for (const l of lines) out.push(`${Number(l.slice(0, l.indexOf(','))) + k * 63 * 86_400_000}${l.slice(l.indexOf(','))}`);
    const path = join(dir, 'fesx-x4.csv');
    writeFileSync(path, out.join('\n'));
    const progress: Array<{ bytes: number; totalBytes: number }> = [];
    const s = await readCandlesCsvFile(path, (p) => progress.push(p));
    expect(s.length).toBe(4 * 30889);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)!.bytes).toBe(progress.at(-1)!.totalBytes);
    expectSame(s, parseCandlesCsv(out.join('\n')));
  });
});
