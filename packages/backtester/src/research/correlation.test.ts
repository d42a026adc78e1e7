import { describe, expect, it } from 'vitest';
import { correlationMatrix } from './correlation.ts';
import { closesSeries, everyNumberFinite, HOUR, MONDAY } from './testing.ts';

/** Pearson by the textbook formula, on returns the test lists itself. */
function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('correlationMatrix', () => {
  // Returns: A +10 %, −10 %, +20 %; B the same; C the opposite; D +5 %, 0, −2 %.
  const a = closesSeries([100, 110, 99, 118.8]);
  const b = closesSeries([50, 55, 49.5, 59.4]);
  const c = closesSeries([100, 90, 99, 79.2]);
  const d = closesSeries([100, 105, 105, 102.9]);

  it('symmetric, 1 on the diagonal, ±1 for (anti-)proportional returns, hand values otherwise', () => {
    const m = correlationMatrix([
      { symbol: 'A/X', series: a },
      { symbol: 'B/X', series: b },
      { symbol: 'C/X', series: c },
      { symbol: 'D/X', series: d },
    ]);
    expect(m.symbols).toEqual(['A/X', 'B/X', 'C/X', 'D/X']);
    for (let i = 0; i < 4; i++) {
      expect(m.matrix[i]![i]).toBe(1);
      for (let j = 0; j < 4; j++) {
        expect(m.matrix[i]![j]).toBe(m.matrix[j]![i]);
        expect(m.overlap[i]![j]).toBe(3);
      }
    }
    expect(m.matrix[0]![1]).toBeCloseTo(1, 12);
    expect(m.matrix[0]![2]).toBeCloseTo(-1, 12);
    // x = (.1, −.1, .2), y = (.05, 0, −.02): Σdxdy = −0.001, Σdx² = 0.14/3, Σdy² = 0.0026.
    expect(m.matrix[0]![3]).toBeCloseTo(-0.001 / Math.sqrt((0.14 / 3) * 0.0026), 9);
  });

  it('pairs meet on the bar times where both have a return; missing bars are not filled in', () => {
    const t = (i: number) => MONDAY + i * HOUR;
    const full = [100, 103, 101, 104, 102, 107];
    const holed = [10, 10.2, 10.1, 10.3, 10.1]; // no bar at t(2)
    const m = correlationMatrix([
      { symbol: 'FULL/X', series: closesSeries(full) },
      { symbol: 'HOLED/X', series: closesSeries(holed, { times: [t(0), t(1), t(3), t(4), t(5)] }) },
    ]);
    // HOLED has returns at t(1), t(4), t(5) (none into t(3): its previous bar is t(1)); FULL at t(1)…t(5).
    const x = [full[1]! / full[0]! - 1, full[4]! / full[3]! - 1, full[5]! / full[4]! - 1];
    const y = [holed[1]! / holed[0]! - 1, holed[3]! / holed[2]! - 1, holed[4]! / holed[3]! - 1];
    expect(m.overlap).toEqual([
      [5, 3],
      [3, 3],
    ]);
    expect(m.matrix[0]![1]).toBeCloseTo(pearson(x, y), 12);
  });

  it('null, not NaN, where undefined: a flat series, fewer than two common returns, disjoint ranges', () => {
    const m = correlationMatrix([
      { symbol: 'A/X', series: a },
      { symbol: 'FLAT/X', series: closesSeries([7, 7, 7, 7]) },
      { symbol: 'LATER/X', series: closesSeries([1, 2, 3], { start: MONDAY + 100 * HOUR }) },
      { symbol: 'ONE/X', series: closesSeries([1]) },
    ]);
    expect(m.matrix[1]).toEqual([null, null, null, null]);
    expect(m.matrix[0]![2]).toBeNull();
    expect(m.overlap[0]![2]).toBe(0);
    expect(m.matrix[3]![3]).toBeNull();
    expect(m.overlap[3]![3]).toBe(0);
    expect(everyNumberFinite(m)).toBe(true);
    expect(correlationMatrix([])).toEqual({ symbols: [], matrix: [], overlap: [] });
  });
});
