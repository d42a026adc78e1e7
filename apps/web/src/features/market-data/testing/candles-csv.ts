/**
 * Candles for component tests, uploaded through the real import API (the test backend stores no
 * bundled data): a seeded random walk, or a series built from given closes.
 */
export interface CsvBar {
  time: number;
  close: number;
}

/** `timestamp_ms,open,high,low,close,volume` lines; each bar opens at the previous close. */
export function candlesCsv(bars: readonly CsvBar[]): string {
  const lines = ['timestamp_ms,open,high,low,close,volume'];
  let open = bars[0]?.close ?? 1;
  for (const { time, close } of bars) {
    lines.push(`${time},${open},${Math.max(open, close)},${Math.min(open, close)},${close},10`);
    open = close;
  }
  return lines.join('\n');
}

/** `count` bars `stepMs` apart from `start`: a random walk from 100 (the same for the same seed). */
export function randomWalk(count: number, start: number, stepMs: number, seed = 7): CsvBar[] {
  const bars: CsvBar[] = [];
  let price = 100;
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (s * 16807) % 2147483647;
    price = Math.max(1, price * (1 + (s / 2147483647 - 0.5) * 0.004));
    bars.push({ time: start + i * stepMs, close: Number(price.toFixed(4)) });
  }
  return bars;
}
