import { describe, expect, it } from 'vitest';
import { candleAt, inferBarDuration } from './candle-series.ts';
import { CandleCsvError, parseCandlesCsv, readCandlesCsv } from './candles-csv.ts';
import { CANDLES_DIR } from './testing-data.ts';

describe('parseCandlesCsv', () => {
  it('reads the real BTC/USDT 5m file: 10999 bars, first and last as published', async () => {
    const s = await readCandlesCsv(`${CANDLES_DIR}BTC_USDT-5m.csv`);
    expect(s.length).toBe(10999);
    expect(candleAt(s, 0)).toEqual({ time: 1672677900000, open: 16727.3, high: 16728.8, low: 16726.0, close: 16726.1, volume: 691.508 });
    expect(new Date(s.time[s.length - 1]!).toISOString()).toBe('2023-02-09T21:15:00.000Z');
    expect(inferBarDuration(s)).toBe(300_000);
  });

  it('reads every file of the data set', async () => {
    const expected: Record<string, number> = { 'orcl-1995-2014.csv': 5036, 'fesx-2006-01-02-volume-min-001.csv': 30889, 'UNITTEST_BTC-1m.csv': 13681, 'ADA_BTC-5m.csv': 5720 };
    for (const [file, bars] of Object.entries(expected)) expect((await readCandlesCsv(CANDLES_DIR + file)).length, file).toBe(bars);
  });

  it('skips the header, blank lines and CRLF; accepts exponent notation as published', () => {
    const s = parseCandlesCsv('timestamp_ms,open,high,low,close,volume\r\n1000,5.33e-05,5.33e-05,5.288e-05,5.29e-05,1\r\n\r\n2000,1,2,0.5,1.5,0\r\n');
    expect(s.length).toBe(2);
    expect(s.open[0]).toBe(0.0000533);
    expect(s.close[1]).toBe(1.5);
  });

  it.each([
    ['1000,1,2,0.5,1.5', 2, /expected 6 fields/],
    ['1000,1,2,0.5,1.5,1,7', 2, /expected 6 fields.*got more/],
    ['1000,1,abc,0.5,1.5,1', 2, /high is not a number/],
    ['1000,1,,0.5,1.5,1', 2, /high is empty/],
    ['1000,NaN,2,0.5,1.5,1', 2, /open is not a number/],
    ['1000.5,1,2,0.5,1.5,1', 2, /integer/],
    ['1000,1,2,0.5,3,1', 2, /inconsistent bar/],
    ['1000,1,2,-0.5,1.5,1', 2, /positive/],
    ['1000,1,2,0.5,1.5,-1', 2, /volume is negative/],
    ['1000,1,2,0.5,1.5,1\n1000,1,2,0.5,1.5,1', 3, /not after the previous/],
    ['1000,1,2,0.5,1.5,1\n2000,1,2,0.5,1.5,1\ntimestamp_ms,open,high,low,close,volume', 4, /not a number/],
  ])('rejects %j at line %i', (body, line, message) => {
    const text = `timestamp_ms,open,high,low,close,volume\n${body}\n`;
    let error: unknown;
    try {
      parseCandlesCsv(text, { source: 'test.csv' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CandleCsvError);
    expect((error as CandleCsvError).line).toBe(line);
    expect((error as CandleCsvError).message).toMatch(message);
    expect((error as CandleCsvError).message).toMatch(new RegExp(`^test\\.csv:${line}: `));
  });

  it('parses a million lines quickly', () => {
    const lines = ['timestamp_ms,open,high,low,close,volume'];
    for (let i = 0; i < 1_000_000; i++) lines.push(`${1_600_000_000_000 + i * 60_000},100.5,101.25,99.75,100.125,12.5`);
    const text = lines.join('\n');
    const start = performance.now();
    const s = parseCandlesCsv(text);
    const ms = performance.now() - start;
    expect(s.length).toBe(1_000_000);
    expect(s.close[999_999]).toBe(100.125);
    // ~0.3–0.8 s on this 2-core machine under load; the bound only catches a pathological slowdown.
    expect(ms).toBeLessThan(15_000);
  });
});
