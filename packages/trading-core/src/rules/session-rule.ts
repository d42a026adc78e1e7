import type { Denial } from '../decisions/denial.ts';
import { intentEffect, type Intent } from '../strategy/intent.ts';
import type { Rule, RuleContext } from './rule.ts';
import { formatClockTime, isValidTimeZone, localTime, parseClockTime, previousDay, WEEKDAY_NAMES } from './zoned-time.ts';

export interface SessionRuleConfig {
  /** IANA zone, e.g. `Europe/Berlin`; days, hours and holidays are local to it. */
  readonly timeZone: string;
  /** ISO weekdays on which a session opens (1 = Monday … 7 = Sunday); default Monday–Friday. */
  readonly days?: readonly number[];
  /**
   * Local trading windows `HH:MM`–`HH:MM`, open inclusive, close exclusive; default the whole day.
   * A window whose close is not after its open runs past midnight and belongs to the day it opens.
   */
  readonly hours?: readonly { readonly open: string; readonly close: string }[];
  /** Local dates `YYYY-MM-DD` without a session. */
  readonly holidays?: readonly string[];
  /** Let exits through outside the session (default: nothing trades outside it). */
  readonly allowExitsOutside?: boolean;
}

interface Window {
  readonly open: number;
  readonly close: number;
}

/** Trading days and hours in a time zone, with holidays. Code RULE_SESSION_CLOSED. */
export class SessionRule implements Rule {
  readonly code = 'RULE_SESSION_CLOSED' as const;
  readonly #timeZone: string;
  readonly #days: ReadonlySet<number>;
  readonly #windows: readonly Window[];
  readonly #holidays: ReadonlySet<string>;
  readonly #allowExits: boolean;
  readonly #hoursText: string;
  readonly #daysText: string;

  /** Throws RangeError on a bad configuration (validate profile settings before). */
  constructor(config: SessionRuleConfig) {
    if (!isValidTimeZone(config.timeZone)) throw new RangeError(`SessionRule: unknown time zone ${config.timeZone}`);
    const days = config.days ?? [1, 2, 3, 4, 5];
    if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) throw new RangeError('SessionRule: days are ISO weekdays 1–7');
    const windows = (config.hours ?? [{ open: '00:00', close: '24:00' }]).map((h) => {
      const open = parseClockTime(h.open);
      const close = parseClockTime(h.close);
      if (open === null || close === null || open === 1440) throw new RangeError(`SessionRule: bad hours ${h.open}–${h.close}`);
      return { open, close };
    });
    for (const d of config.holidays ?? []) if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`SessionRule: holiday ${d} is not YYYY-MM-DD`);
    this.#timeZone = config.timeZone;
    this.#days = new Set(days);
    this.#windows = windows;
    this.#holidays = new Set(config.holidays ?? []);
    this.#allowExits = config.allowExitsOutside ?? false;
    this.#hoursText = windows.map((w) => `${formatClockTime(w.open)}–${formatClockTime(w.close)}`).join(', ');
    this.#daysText = formatDays(days);
  }

  /** True when `epochMs` is inside a session. */
  isOpen(epochMs: number): boolean {
    return this.#closedReason(epochMs) === null;
  }

  evaluate(ctx: RuleContext, intent: Intent): Denial | null {
    if (this.#allowExits && intentEffect(intent, ctx.positionQty) === 'reduce') return null;
    const reason = this.#closedReason(ctx.now);
    return reason === null ? null : { stage: 'rule', code: this.code, reason };
  }

  #sessionDay(dateKey: string, weekday: number): boolean {
    return this.#days.has(weekday) && !this.#holidays.has(dateKey);
  }

  #closedReason(epochMs: number): string | null {
    const t = localTime(epochMs, this.#timeZone);
    // Yesterday matters only for windows past midnight: worked out when one is met.
    let yesterday: { dateKey: string; weekday: number } | null = null;
    for (const w of this.#windows) {
      if (w.open < w.close) {
        if (this.#sessionDay(t.dateKey, t.weekday) && t.minuteOfDay >= w.open && t.minuteOfDay < w.close) return null;
      } else {
        if (this.#sessionDay(t.dateKey, t.weekday) && t.minuteOfDay >= w.open) return null;
        yesterday ??= previousDay(t.dateKey, t.weekday);
        if (this.#sessionDay(yesterday.dateKey, yesterday.weekday) && t.minuteOfDay < w.close) return null;
      }
    }
    const local = `local ${WEEKDAY_NAMES[t.weekday]} ${t.dateKey} ${formatClockTime(t.minuteOfDay)}`;
    if (this.#holidays.has(t.dateKey)) return `holiday ${t.dateKey} (${this.#timeZone})`;
    if (!this.#days.has(t.weekday)) return `closed on ${WEEKDAY_NAMES[t.weekday]}: trading days ${this.#daysText} ${this.#timeZone} (${local})`;
    return `outside trading hours ${this.#hoursText} ${this.#timeZone} (${local})`;
  }
}

function formatDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first !== undefined && last !== undefined && sorted.length > 2 && last - first === sorted.length - 1) {
    return `${WEEKDAY_NAMES[first]}–${WEEKDAY_NAMES[last]}`;
  }
  return sorted.map((d) => WEEKDAY_NAMES[d]).join(', ');
}
