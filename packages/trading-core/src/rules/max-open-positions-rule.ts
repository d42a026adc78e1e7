import type { Denial } from '../decisions/denial.ts';
import { intentEffect, type Intent } from '../strategy/intent.ts';
import type { Rule, RuleContext } from './rule.ts';

/** No new position while `max` are open (adding to an open one is fine). Code RULE_MAX_OPEN_POSITIONS. */
export class MaxOpenPositionsRule implements Rule {
  readonly code = 'RULE_MAX_OPEN_POSITIONS' as const;
  readonly #max: number;

  constructor(config: { readonly max: number }) {
    if (!Number.isInteger(config.max) || config.max < 0) throw new RangeError('MaxOpenPositionsRule: max must be a non-negative integer');
    this.#max = config.max;
  }

  evaluate(ctx: RuleContext, intent: Intent): Denial | null {
    if (!ctx.positionQty.isZero() || intentEffect(intent, ctx.positionQty) !== 'increase') return null;
    if (ctx.openPositions < this.#max) return null;
    return { stage: 'rule', code: this.code, reason: `${ctx.openPositions} of ${this.#max} positions already open` };
  }
}
