import type { Denial } from '../decisions/denial.ts';
import { intentEffect, type Intent } from '../strategy/intent.ts';
import type { Rule, RuleContext } from './rule.ts';

/** No new exposure for `minutes` after a losing close. Code RULE_COOLDOWN. */
export class CooldownAfterLossRule implements Rule {
  readonly code = 'RULE_COOLDOWN' as const;
  readonly #ms: number;
  readonly #minutes: number;

  constructor(config: { readonly minutes: number }) {
    if (!(config.minutes > 0) || !Number.isFinite(config.minutes)) throw new RangeError('CooldownAfterLossRule: minutes must be positive');
    this.#minutes = config.minutes;
    this.#ms = config.minutes * 60_000;
  }

  evaluate(ctx: RuleContext, intent: Intent): Denial | null {
    if (ctx.lastLossAt === null || intentEffect(intent, ctx.positionQty) !== 'increase') return null;
    const until = ctx.lastLossAt + this.#ms;
    if (ctx.now >= until) return null;
    return {
      stage: 'rule',
      code: this.code,
      reason: `cooldown of ${this.#minutes} min after a losing close at ${iso(ctx.lastLossAt)}: no entries until ${iso(until)}`,
    };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
