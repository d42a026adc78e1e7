import type { Denial } from '../decisions/denial.ts';
import { intentEffect, type Intent } from '../strategy/intent.ts';
import type { Rule, RuleContext } from './rule.ts';
import { isValidTimeZone, localDayNumber, localTime } from './zoned-time.ts';

/** The longest calendar day (25 h on a DST change) plus margin: older entries cannot be today. */
const LOOKBACK_MS = 27 * 3_600_000;

/** At most `max` entries per local calendar day in `timeZone`. Code RULE_MAX_TRADES_PER_DAY. */
export class MaxTradesPerDayRule implements Rule {
  readonly code = 'RULE_MAX_TRADES_PER_DAY' as const;
  readonly #max: number;
  readonly #timeZone: string;

  constructor(config: { readonly max: number; readonly timeZone: string }) {
    if (!Number.isInteger(config.max) || config.max < 0) throw new RangeError('MaxTradesPerDayRule: max must be a non-negative integer');
    if (!isValidTimeZone(config.timeZone)) throw new RangeError(`MaxTradesPerDayRule: unknown time zone ${config.timeZone}`);
    this.#max = config.max;
    this.#timeZone = config.timeZone;
  }

  evaluate(ctx: RuleContext, intent: Intent): Denial | null {
    if (intentEffect(intent, ctx.positionQty) !== 'increase') return null;
    const today = localDayNumber(ctx.now, this.#timeZone);
    let count = 0;
    for (const t of ctx.entryTimes) {
      if (t > ctx.now || t < ctx.now - LOOKBACK_MS) continue;
      if (localDayNumber(t, this.#timeZone) === today) count++;
    }
    if (count < this.#max) return null;
    const todayKey = localTime(ctx.now, this.#timeZone).dateKey;
    return { stage: 'rule', code: this.code, reason: `${count} of ${this.#max} trades already made today (${todayKey} ${this.#timeZone})` };
  }
}
