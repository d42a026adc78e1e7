import type { Dec } from '../decimal/dec.ts';
import type { Denial } from '../decisions/denial.ts';
import type { Intent } from '../strategy/intent.ts';

export type RuleCode = 'RULE_SESSION_CLOSED' | 'RULE_COOLDOWN' | 'RULE_MAX_TRADES_PER_DAY' | 'RULE_MAX_OPEN_POSITIONS';

/** What rules read; the host fills it from its stores. */
export interface RuleContext {
  readonly now: number;
  readonly symbol: string;
  /** Signed position quantity on the symbol. */
  readonly positionQty: Dec;
  /** Open positions in the scope the host limits (e.g. the tenant's profiles), this one included. */
  readonly openPositions: number;
  /** Time of the last close with a negative round-trip P&L (PositionClosed.roundTripPnl < 0). */
  readonly lastLossAt: number | null;
  /** Times of recent entries (orders that opened or increased a position); the last 2 days suffice. */
  readonly entryTimes: readonly number[];
}

/**
 * A protection: one interface, any number of plugins (Freqtrade-style). `evaluate` returns null
 * to let the intent through or a denial with the rule's stable code and a reason.
 */
export interface Rule {
  readonly code: RuleCode;
  evaluate(ctx: RuleContext, intent: Intent): Denial | null;
}

/** Runs rules in order; the first denial wins. Cancels are never gated. */
export function evaluateRules(rules: readonly Rule[], ctx: RuleContext, intent: Intent): Denial | null {
  if (intent.kind === 'cancel') return null;
  for (const rule of rules) {
    const denial = rule.evaluate(ctx, intent);
    if (denial !== null) return denial;
  }
  return null;
}
