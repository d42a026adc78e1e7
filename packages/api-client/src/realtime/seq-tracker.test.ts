import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';
import { SeqTracker } from './seq-tracker.ts';

describe('SeqTracker', () => {
  it('accepts the next number after the join baseline and reports a jump as a gap', () => {
    const t = new SeqTracker();
    t.baseline('tenant:a', 4);
    expect(t.observe('tenant:a', 5)).toBe('in-order');
    expect(t.observe('tenant:a', 6)).toBe('in-order');
    expect(t.observe('tenant:a', 9)).toBe('gap');
    expect(t.observe('tenant:a', 10)).toBe('in-order');
  });

  it('keeps rooms apart, and a room seen for the first time without a baseline is in order', () => {
    const t = new SeqTracker();
    expect(t.observe('market:BTC/USDT', 602)).toBe('in-order');
    expect(t.observe('tenant:a', 1)).toBe('in-order');
    expect(t.observe('market:BTC/USDT', 604)).toBe('gap');
    expect(t.observe('tenant:a', 2)).toBe('in-order');
  });

  it('an event already counted by the baseline (it raced the ready event) is old, not a gap, and never lowers the baseline', () => {
    const t = new SeqTracker();
    expect(t.observe('tenant:a', 7)).toBe('in-order');
    t.baseline('tenant:a', 6);
    expect(t.observe('tenant:a', 8)).toBe('in-order');
    t.baseline('tenant:a', 9);
    expect(t.observe('tenant:a', 9)).toBe('old');
    expect(t.observe('tenant:a', 10)).toBe('in-order');
  });

  it('starts over after a reset (a reconnection: the server may have restarted its counters)', () => {
    const t = new SeqTracker();
    t.baseline('tenant:a', 50);
    t.reset();
    t.baseline('tenant:a', 0);
    expect(t.observe('tenant:a', 1)).toBe('in-order');
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the maximum, with jitter between half the base and the ceiling', () => {
    const opts = { baseMs: 1_000, maxMs: 30_000 };
    expect(backoffDelay(0, opts, () => 0)).toBe(500);
    expect(backoffDelay(0, opts, () => 1)).toBe(1_000);
    expect(backoffDelay(3, opts, () => 1)).toBe(8_000);
    expect(backoffDelay(20, opts, () => 1)).toBe(30_000);
    expect(backoffDelay(20, opts, () => 0.5)).toBe(15_250);
  });
});
