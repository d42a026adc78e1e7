import { describe, expect, it } from 'vitest';
import { validateLifecycleHistory } from './lifecycle-history.ts';
import { ORDER_TRANSITIONS } from './order-transitions.ts';
import type { LifecycleStep, OrderStatus } from './order-types.ts';

const step = (from: OrderStatus, to: OrderStatus, at = 1): LifecycleStep => ({ at, from, to, source: 'exchange', event: 'X' });

describe('validateLifecycleHistory', () => {
  it('accepts legal histories, including an empty one for a new order', () => {
    expect(validateLifecycleHistory([], 'new')).toEqual({ ok: true });
    expect(validateLifecycleHistory([step('new', 'submitted'), step('submitted', 'filled')], 'filled')).toEqual({ ok: true });
  });

  it('reports every problem with its index and code', () => {
    const r = validateLifecycleHistory(
      [step('submitted', 'accepted'), step('accepted', 'filled'), step('accepted', 'cancelled'), step('cancelled', 'filled', NaN)],
      'expired',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.index, p.code])).toEqual([
      [0, 'LIFECYCLE_BAD_START'],
      [2, 'LIFECYCLE_BROKEN_CHAIN'],
      [3, 'LIFECYCLE_ILLEGAL_TRANSITION'],
      [3, 'LIFECYCLE_ILLEGAL_TRANSITION'],
      [4, 'LIFECYCLE_STATUS_MISMATCH'],
    ]);
  });

  it('terminal statuses are absorbing in the table', () => {
    for (const s of ['filled', 'cancelled', 'rejected', 'expired'] as const) expect(ORDER_TRANSITIONS[s]).toEqual([]);
  });
});
