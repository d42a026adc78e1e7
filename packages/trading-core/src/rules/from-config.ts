import { Dec } from '../decimal/dec.ts';
import type { RiskLimits } from '../risk/risk-limits.ts';
import { CooldownAfterLossRule } from './cooldown-after-loss-rule.ts';
import { MaxOpenPositionsRule } from './max-open-positions-rule.ts';
import { MaxTradesPerDayRule } from './max-trades-per-day-rule.ts';
import type { Rule } from './rule.ts';
import { SessionRule, type SessionRuleConfig } from './session-rule.ts';

/** A profile's protections as stored (the shape of the contracts' ProfileRules); each is off when absent. */
export interface RulesConfig {
  readonly session?: SessionRuleConfig;
  readonly cooldownAfterLossMinutes?: number;
  readonly maxTradesPerDay?: number;
  readonly maxOpenPositions?: number;
}

/** A profile's risk limits as stored: decimal strings (the shape of the contracts' RiskLimits). */
export interface RiskLimitsConfig {
  readonly maxOrderNotional?: string;
  readonly maxPositionNotional?: string;
  readonly maxDailyLoss?: string;
  readonly maxDrawdown?: string;
  readonly priceBand?: string;
  readonly orderRate?: { readonly maxOrders: number; readonly windowMs: number };
  readonly feeRate?: string;
}

/**
 * The rules of a configuration, in the order they run. Live trading and the backtester both build
 * them here, so a profile is gated the same way in both. Throws RangeError on a bad configuration.
 */
export function rulesFromConfig(rules: RulesConfig): Rule[] {
  const out: Rule[] = [];
  if (rules.session) out.push(new SessionRule(rules.session));
  if (rules.cooldownAfterLossMinutes !== undefined) out.push(new CooldownAfterLossRule({ minutes: rules.cooldownAfterLossMinutes }));
  if (rules.maxTradesPerDay !== undefined) out.push(new MaxTradesPerDayRule({ max: rules.maxTradesPerDay, timeZone: rules.session?.timeZone ?? 'UTC' }));
  if (rules.maxOpenPositions !== undefined) out.push(new MaxOpenPositionsRule({ max: rules.maxOpenPositions }));
  return out;
}

const d = (v: string | undefined) => (v === undefined ? null : new Dec(v));

/** Stored limits as trading-core RiskLimits (exact decimals; absent = off). */
export function riskLimitsFromConfig(limits: RiskLimitsConfig): RiskLimits {
  return {
    maxOrderNotional: d(limits.maxOrderNotional),
    maxPositionNotional: d(limits.maxPositionNotional),
    maxDailyLoss: d(limits.maxDailyLoss),
    maxDrawdown: d(limits.maxDrawdown),
    priceBand: d(limits.priceBand),
    orderRate: limits.orderRate ?? null,
    feeRate: d(limits.feeRate),
  };
}
