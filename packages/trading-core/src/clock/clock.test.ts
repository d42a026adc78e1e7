import { describe, expect, it } from 'vitest';
import { fixedClock, ManualClock } from './clock.ts';

describe('clocks', () => {
  it('ManualClock moves only when told and never backwards', () => {
    const c = new ManualClock(1_000);
    expect(c.now()).toBe(1_000);
    c.advance(500);
    expect(c.now()).toBe(1_500);
    c.set(2_000);
    expect(c.now()).toBe(2_000);
    expect(() => c.set(1_999)).toThrow(RangeError);
    expect(() => c.advance(-1)).toThrow(RangeError);
    expect(() => new ManualClock(NaN)).toThrow(RangeError);
  });

  it('fixedClock is frozen', () => {
    const c = fixedClock(42);
    expect([c.now(), c.now()]).toEqual([42, 42]);
  });
});
