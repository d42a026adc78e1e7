import { describe, expect, it } from 'vitest';
import { formatNumber, formatPair } from './format.ts';

describe('formatNumber / formatPair', () => {
  it('prints 6 significant digits without trailing zeros, and the whole integer part', () => {
    const cases: [number, string][] = [
      [3614.3, '3614.3'],
      [11.375, '11.375'],
      [0.1, '0.1'],
      [100, '100'],
      [16726.123456, '16726.1'],
      [1234567.891, '1234568'],
      [5.29e-5, '0.0000529'],
      [0.00012345678, '0.000123457'],
      [-2.5, '-2.5'],
      [0, '0'],
      [1e-9, '1e-9'],
      [1e22, '1e+22'],
    ];
    for (const [x, s] of cases) expect(formatNumber(x), String(x)).toBe(s);
    expect(formatNumber(46.875, 4)).toBe('46.88');
  });

  it('adds digits until two different values print differently', () => {
    expect(formatPair(101.2, 100.9)).toEqual(['101.2', '100.9']);
    expect(formatPair(100.0000002, 100.0000001)).toEqual(['100.0000002', '100.0000001']);
    expect(formatPair(11.375000000000004, 11.37499999999998)).toEqual(['11.375', '11.37499999999998']);
    expect(formatPair(5, 5)).toEqual(['5', '5']);
  });
});
