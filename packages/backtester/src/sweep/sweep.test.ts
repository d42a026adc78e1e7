import { describe, expect, it } from 'vitest';
import { ParamSpaceError, axisValues, gridCombinations, gridSize, randomCombinations } from './param-space.ts';
import { compareParams, rankRows } from './ranking.ts';
import { splitOutOfSample } from './out-of-sample.ts';

describe('grid combinations', () => {
  it('expands lists and steps into every combination, names ascending, the last one fastest', () => {
    const grid = { slow: { from: 20, to: 30, step: 5 }, fast: [5, 10] };
    expect(gridSize(grid)).toBe(6);
    expect(gridCombinations(grid)).toEqual([
      { fast: 5, slow: 20 },
      { fast: 5, slow: 25 },
      { fast: 5, slow: 30 },
      { fast: 10, slow: 20 },
      { fast: 10, slow: 25 },
      { fast: 10, slow: 30 },
    ]);
  });

  it('decimal steps land on the values as typed, `to` included', () => {
    expect(axisValues('x', { from: 0.1, to: 0.5, step: 0.1 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(axisValues('x', { from: 1, to: 2, step: 0.3 })).toEqual([1, 1.3, 1.6, 1.9]);
    expect(axisValues('x', { from: 3, to: 3, step: 1 })).toEqual([3]);
  });

  it('refuses axes that cannot be expanded, naming the parameter', () => {
    expect(() => gridSize({})).toThrow(ParamSpaceError);
    expect(() => gridSize({ fast: [] })).toThrow(/fast: give at least one value/);
    expect(() => gridSize({ fast: { from: 1, to: 5, step: 0 } })).toThrow(/fast: step must be greater than 0/);
    expect(() => gridSize({ fast: { from: 5, to: 1, step: 1 } })).toThrow(/fast: to \(1\) must not be below from \(5\)/);
    try {
      gridSize({ slow: { from: 1, to: Number.NaN, step: 1 } });
    } catch (e) {
      expect((e as ParamSpaceError).param).toBe('slow');
    }
  });
});

describe('random search', () => {
  const search = { ranges: { fast: { min: 2, max: 40, step: 1 }, slow: { min: 20, max: 200, step: 5 }, size: [0.1, 0.2] }, samples: 25, seed: 42 };

  it('is reproducible from its seed, draws distinct combinations inside the ranges, and another seed draws others', () => {
    const a = randomCombinations(search);
    expect(randomCombinations(search)).toEqual(a);
    expect(a).toHaveLength(25);
    expect(new Set(a.map((c) => JSON.stringify(c))).size).toBe(25);
    for (const c of a) {
      expect(Number.isInteger(c.fast) && (c.fast as number) >= 2 && (c.fast as number) <= 40).toBe(true);
      expect(((c.slow as number) - 20) % 5).toBe(0);
      expect([0.1, 0.2]).toContain(c.size);
    }
    expect(randomCombinations({ ...search, seed: 43 })).not.toEqual(a);
  });

  it('a small discrete space gives what it holds; continuous ranges stay inside min..max', () => {
    expect(randomCombinations({ ranges: { flag: [true, false] }, samples: 10, seed: 1 })).toHaveLength(2);
    for (const c of randomCombinations({ ranges: { k: { min: 0.5, max: 0.75 } }, samples: 50, seed: 7 })) {
      expect(c.k).toBeGreaterThanOrEqual(0.5);
      expect(c.k).toBeLessThanOrEqual(0.75);
    }
    expect(() => randomCombinations({ ranges: { k: { min: 2, max: 1 } }, samples: 1, seed: 1 })).toThrow(/k: max \(1\) must not be below min \(2\)/);
  });
});

describe('ranking', () => {
  const row = (fast: number, slow: number, sharpe: number | null, maxDrawdown = 0.1) => ({ params: { fast, slow }, metrics: sharpe === null ? null : { sharpe, maxDrawdown } });

  it('best first by the metric; ties by the parameter values; failed rows last — whatever the input order', () => {
    const rows = [row(10, 30, 1.5), row(5, 30, 2), row(5, 20, 1.5), row(8, 30, null), row(9, 30, Number.NaN)];
    const ranked = rankRows(rows, { metric: 'sharpe', better: 'higher' });
    expect(ranked.map((r) => [r.params.fast, r.params.slow, r.rank])).toEqual([
      [5, 30, 1],
      [5, 20, 2],
      [10, 30, 3],
      [8, 30, 4],
      [9, 30, 5],
    ]);
    expect(rankRows([...rows].reverse(), { metric: 'sharpe', better: 'higher' })).toEqual(ranked);
  });

  it('lower is better when the metric says so (drawdowns)', () => {
    const ranked = rankRows([row(1, 2, 0, 0.3), row(2, 3, 0, 0.1), row(3, 4, 0, 0.2)], { metric: 'maxDrawdown', better: 'lower' });
    expect(ranked.map((r) => r.params.fast)).toEqual([2, 3, 1]);
  });

  it('compares parameter values by type, then value, with no locale rules', () => {
    expect(compareParams({ a: 1, b: 'x' }, { a: 1, b: 'y' })).toBe(-1);
    expect(compareParams({ a: 2 }, { a: 10 })).toBe(-1);
    expect(compareParams({ a: false }, { a: 0 })).toBe(-1);
    expect(compareParams({ a: 1 }, { a: 1, b: 1 })).toBe(-1);
    expect(compareParams({ a: 1 }, { a: 1 })).toBe(0);
  });
});

describe('out-of-sample split', () => {
  const times = Float64Array.from({ length: 10 }, (_, i) => 1000 + i * 100);

  it('holds back the last fraction of the bars in the range', () => {
    expect(splitOutOfSample(times, {}, { fraction: 0.3 })).toEqual({ inSample: { from: 1000, to: 1700 }, outOfSample: { from: 1700, to: 1901 } });
    expect(splitOutOfSample(times, { from: 1200, to: 1800 }, { fraction: 0.5 })).toEqual({ inSample: { from: 1200, to: 1500 }, outOfSample: { from: 1500, to: 1800 } });
    // at least one bar on each side
    expect(splitOutOfSample(times, {}, { fraction: 0.01 }).outOfSample.from).toBe(1900);
    expect(splitOutOfSample(times, {}, { fraction: 0.99 }).inSample).toEqual({ from: 1000, to: 1100 });
  });

  it('takes a separate range as it is, and refuses one that overlaps the in-sample range or holds too little', () => {
    expect(splitOutOfSample(times, { from: 1000, to: 1500 }, { from: 1500, to: 1901 })).toEqual({ inSample: { from: 1000, to: 1500 }, outOfSample: { from: 1500, to: 1901 } });
    expect(() => splitOutOfSample(times, { from: 1000, to: 1500 }, { from: 1400, to: 1901 })).toThrow(/overlaps/);
    expect(() => splitOutOfSample(times, { from: 1000, to: 1100 }, { fraction: 0.5 })).toThrow(/holds 1 bar/);
    expect(() => splitOutOfSample(times, {}, { fraction: 1 })).toThrow(/between 0 and 1/);
  });
});
