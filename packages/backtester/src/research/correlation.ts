import type { CandleSeries } from '@kestrel/exchanges';
import { barReturns, type BarReturns } from './bar-returns.ts';

export interface CorrelationMatrix {
  readonly symbols: string[];
  /** Pearson correlation of simple returns; matrix[i][j] = matrix[j][i]; null below 2 common returns or when either side does not move. */
  readonly matrix: (number | null)[][];
  /** How many returns each pair has in common (the diagonal: the symbol's own number of returns). */
  readonly overlap: number[][];
}

/**
 * Pearson correlation of close-to-close simple returns across symbols, pair by pair.
 *
 * Gaps: each series' returns are taken between adjacent bars only (none across missing bars, see
 * bar-returns.ts), and a pair is compared on the bar times at which both series have a return. A
 * bar missing from one series thus drops two returns from each of its pairs — the one into the
 * missing bar and the one out of it — and nothing is filled in or interpolated. Each pair uses its
 * own common times, so the matrix is not computed on one shared set of rows (with several symbols
 * of different histories, that would throw most data away).
 */
export function correlationMatrix(seriesList: readonly { readonly symbol: string; readonly series: CandleSeries }[]): CorrelationMatrix {
  const returns = seriesList.map((s) => barReturns(s.series));
  const k = seriesList.length;
  const matrix: (number | null)[][] = Array.from({ length: k }, () => new Array<number | null>(k).fill(null));
  const overlap: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const { r, n } = pearson(returns[i]!, returns[j]!);
      matrix[i]![j] = matrix[j]![i] = r;
      overlap[i]![j] = overlap[j]![i] = n;
    }
  }
  return { symbols: seriesList.map((s) => s.symbol), matrix, overlap };
}

/** Merges the two ascending time columns, then two passes over the common returns (means, then co-moments). */
function pearson(a: BarReturns, b: BarReturns): { r: number | null; n: number } {
  const xs = new Float64Array(Math.min(a.time.length, b.time.length));
  const ys = new Float64Array(xs.length);
  let n = 0;
  for (let i = 0, j = 0; i < a.time.length && j < b.time.length; ) {
    const ta = a.time[i]!;
    const tb = b.time[j]!;
    if (ta < tb) i++;
    else if (tb < ta) j++;
    else {
      xs[n] = a.simple[i++]!;
      ys[n++] = b.simple[j++]!;
    }
  }
  if (n < 2) return { r: null, n };
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0 || syy === 0) return { r: null, n };
  // Rounding can push |r| a hair past 1 for perfectly (anti-)correlated series.
  return { r: Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))), n };
}
