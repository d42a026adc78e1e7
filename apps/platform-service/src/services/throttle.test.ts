import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LoginThrottle, SlidingWindowCounter } from './throttle.ts';

describe('login throttle', () => {
  it('blocks after maxFailures in the window and frees a slot when the oldest failure leaves it', () => {
    let now = 0;
    const c = new SlidingWindowCounter({ maxFailures: 3, windowMs: 1000, now: () => now });
    for (const t of [0, 100, 200]) {
      now = t;
      expect(c.retryAfterMs('k')).toBe(0);
      c.recordFailure('k');
    }
    expect(c.retryAfterMs('k')).toBe(800);
    now = 1000;
    expect(c.retryAfterMs('k')).toBe(0);
    c.reset('k');
    expect(c.size).toBe(0);
  });

  it('bounds memory: at most maxKeys keys, least recently failed evicted first', () => {
    const c = new SlidingWindowCounter({ maxFailures: 1, windowMs: 1000, maxKeys: 3, now: () => 0 });
    for (const k of ['a', 'b', 'c', 'a', 'd']) c.recordFailure(k);
    expect(c.size).toBe(3);
    expect(c.retryAfterMs('b')).toBe(0); // evicted
    expect(c.retryAfterMs('a')).toBeGreaterThan(0);
  });

  it('property: never more than maxFailures attempts get through in any window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 80 }), (max, gaps) => {
        let now = 0;
        const windowMs = 1000;
        const c = new SlidingWindowCounter({ maxFailures: max, windowMs, now: () => now });
        const admitted: number[] = [];
        for (const gap of gaps) {
          now += gap;
          if (c.retryAfterMs('k') > 0) continue;
          admitted.push(now);
          c.recordFailure('k'); // every admitted attempt fails
        }
        for (const t of admitted) expect(admitted.filter((x) => x > t - windowMs && x <= t).length).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('combines user and IP limits; a success clears only the user', () => {
    let now = 0;
    const t = new LoginThrottle({ maxFailuresPerUser: 2, maxFailuresPerIp: 3, windowSeconds: 60, now: () => now });
    t.recordFailure('alice', 'ip1');
    t.recordFailure('alice', 'ip2');
    expect(t.retryAfterSeconds('alice', 'ip9')).toBe(60);
    t.recordSuccess('alice');
    expect(t.retryAfterSeconds('alice', 'ip9')).toBe(0);
    t.recordFailure('bob', 'ip1');
    t.recordFailure('carol', 'ip1');
    now = 30_000;
    expect(t.retryAfterSeconds('dave', 'ip1')).toBe(30);
  });
});
