import type { CoreCode } from '../errors/codes.ts';
import { isLegalTransition } from './order-transitions.ts';
import type { LifecycleStep, OrderStatus } from './order-types.ts';

export type LifecycleCode = Extract<CoreCode, `LIFECYCLE_${string}`>;

export interface LifecycleProblem {
  /** Index of the offending step (the history's length for LIFECYCLE_STATUS_MISMATCH). */
  readonly index: number;
  readonly code: LifecycleCode;
  readonly message: string;
}

export type LifecycleValidation = { readonly ok: true } | { readonly ok: false; readonly problems: readonly LifecycleProblem[] };

/**
 * Checks a stored lifecycle history against the state machine, as reconciliation does for every
 * order: it starts at `new`, each step starts where the previous ended, each step is in the
 * transition table (so nothing follows a terminal status), every time is finite, and, when
 * `expectedStatus` is given, it ends in the order's current status. All problems are reported.
 */
export function validateLifecycleHistory(history: readonly LifecycleStep[], expectedStatus?: OrderStatus): LifecycleValidation {
  const problems: LifecycleProblem[] = [];
  let current: OrderStatus = 'new';
  history.forEach((s, index) => {
    if (index === 0 && s.from !== 'new') {
      problems.push({ index, code: 'LIFECYCLE_BAD_START', message: `history starts from ${s.from}, not new` });
    } else if (index > 0 && s.from !== current) {
      problems.push({ index, code: 'LIFECYCLE_BROKEN_CHAIN', message: `step ${index} starts from ${s.from}, but the order was ${current}` });
    }
    if (!isLegalTransition(s.from, s.to)) {
      problems.push({ index, code: 'LIFECYCLE_ILLEGAL_TRANSITION', message: `step ${index}: ${s.from} → ${s.to} is not a legal transition` });
    }
    if (!Number.isFinite(s.at)) {
      problems.push({ index, code: 'LIFECYCLE_ILLEGAL_TRANSITION', message: `step ${index} has no valid time` });
    }
    current = s.to;
  });
  if (expectedStatus !== undefined && current !== expectedStatus) {
    problems.push({
      index: history.length,
      code: 'LIFECYCLE_STATUS_MISMATCH',
      message: `history ends in ${current}, the order is ${expectedStatus}`,
    });
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}
