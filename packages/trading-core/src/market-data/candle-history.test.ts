import { describe, expect, it } from 'vitest';
import { CandleHistory } from './candle-history.ts';

const candle = (i: number) => ({ time: i * 60_000, open: i, high: i + 1, low: i - 1, close: i + 0.5, volume: 10 * i });

describe('CandleHistory', () => {
  it('reads newest first and forgets beyond its capacity', () => {
    const h = new CandleHistory(3);
    expect(h.close(0)).toBeNaN();
    for (let i = 1; i <= 5; i++) h.push(candle(i));
    expect(h.length).toBe(3);
    expect([h.close(0), h.close(1), h.close(2), h.close(3)]).toEqual([5.5, 4.5, 3.5, NaN]);
    expect([h.time(0), h.open(0), h.high(0), h.low(0), h.volume(0)]).toEqual([300_000, 5, 6, 4, 50]);
    expect(h.close(-1)).toBeNaN();
    h.clear();
    expect(h.length).toBe(0);
    expect(() => new CandleHistory(0)).toThrow(RangeError);
  });
});
