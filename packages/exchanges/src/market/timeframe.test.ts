import { describe, expect, it } from 'vitest';
import { highFirst } from './ohlc-path.ts';
import { msToTimeframe, timeframeToMs } from './timeframe.ts';

describe('timeframes', () => {
  it('converts both ways', () => {
    expect(timeframeToMs('5m')).toBe(300_000);
    expect(timeframeToMs('1d')).toBe(86_400_000);
    expect(msToTimeframe(300_000)).toBe('5m');
    expect(msToTimeframe(3_600_000)).toBe('1h');
    expect(msToTimeframe(90_000)).toBe('90s');
    expect(() => timeframeToMs('5 minutes')).toThrow();
  });
});

describe('the OHLC path', () => {
  it('goes to the nearer extreme first; ties by the direction of the close', () => {
    expect(highFirst(100, 103, 90, 95)).toBe(true);
    expect(highFirst(100, 110, 98, 105)).toBe(false);
    expect(highFirst(100, 105, 95, 97)).toBe(true); // tie, closes below the open: O → H → L → C
    expect(highFirst(100, 105, 95, 103)).toBe(false);
    expect(highFirst(100, 100, 100, 100)).toBe(false);
  });
});
