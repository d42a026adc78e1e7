import type { z } from 'zod';
import type { coverageEntrySchema } from '@kestrel/contracts';
import { timeframeMs } from '../components/charts/timeframe.ts';

/** One stored dataset (symbol × timeframe) as `GET /api/market-data/coverage` lists it. */
export type CoverageEntry = z.infer<typeof coverageEntrySchema>;

/** Said wherever a form or chart needs stored candles and there are none. */
export const NO_STORED_CANDLES = 'No stored candles yet: import some with npm run import:candles or POST /api/market-data/imports (see the onboarding guide), then come back.';

/**
 * Choices offered from the stored candles: the timeframes that have data (shortest first), the
 * symbols stored at one of them, and the span several symbols share — so forms offer only what
 * a backtest or a research query can actually read.
 */
export function timeframesOf(coverage: readonly CoverageEntry[]): string[] {
  return [...new Set(coverage.map((c) => c.timeframe))].sort((a, b) => timeframeMs(a) - timeframeMs(b));
}

/** The timeframe most symbols are stored at: where a first look has the most choice ('' without data). */
export function busiestTimeframe(coverage: readonly CoverageEntry[]): string {
  const tfs = timeframesOf(coverage);
  return tfs.reduce((best, tf) => (symbolsOf(coverage, tf).length > symbolsOf(coverage, best).length ? tf : best), tfs[0] ?? '');
}

export function symbolsOf(coverage: readonly CoverageEntry[], timeframe: string): string[] {
  return coverage
    .filter((c) => c.timeframe === timeframe)
    .map((c) => c.symbol)
    .sort();
}

export interface StoredSpan {
  /** Open time of the first bar every symbol has, epoch ms. */
  first: number;
  /** Open time of the last bar every symbol has. */
  last: number;
  /** Bars of the shortest dataset, and the gaps of all of them together. */
  bars: number;
  gapCount: number;
}

/** The range all of `symbols` have bars in at `timeframe`; null when one of them is not stored or they do not overlap. */
export function spanOf(coverage: readonly CoverageEntry[], symbols: readonly string[], timeframe: string): StoredSpan | null {
  const entries = symbols.map((s) => coverage.find((c) => c.symbol === s && c.timeframe === timeframe));
  if (entries.length === 0 || entries.some((e) => !e)) return null;
  const stored = entries as CoverageEntry[];
  const first = Math.max(...stored.map((e) => e.first));
  const last = Math.min(...stored.map((e) => e.last));
  if (first > last) return null;
  return { first, last, bars: Math.min(...stored.map((e) => e.bars)), gapCount: stored.reduce((n, e) => n + e.gapCount, 0) };
}
