import { AppError, type ProfileRules, type RiskLimitsInput } from '@kestrel/contracts';
import { riskLimitsFromConfig, rulesFromConfig, type RiskLimits, type Rule } from '@kestrel/trading-core';
import { parseStrategyParams } from '@kestrel/strategies';

/** A profile's stored rules as trading-core rules, in the order they run (the backtester builds them the same way). Throws RangeError on a bad configuration. */
export function buildRules(rules: ProfileRules): Rule[] {
  return rulesFromConfig(rules);
}

const ruleSets = new Map<string, readonly Rule[]>();

/**
 * The rules of a profile's configuration, built once per distinct configuration: rules hold no
 * per-profile state, and building a SessionRule (an Intl formatter for its zone) per decision
 * would cost more than evaluating it.
 */
export function rulesFor(rules: ProfileRules): readonly Rule[] {
  const key = JSON.stringify(rules);
  let built = ruleSets.get(key);
  if (!built) {
    if (ruleSets.size >= 1_000) ruleSets.clear();
    built = Object.freeze(buildRules(rules));
    ruleSets.set(key, built);
  }
  return built;
}

/** Validates rules beyond their schema (a session window the rule refuses) as a 400 with details. */
export function checkRules(rules: ProfileRules): void {
  try {
    buildRules(rules);
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', undefined, { details: [{ path: '/rules', where: 'body', message: (err as Error).message }] });
  }
}

export function buildRiskLimits(limits: RiskLimitsInput): RiskLimits {
  return riskLimitsFromConfig(limits);
}

/** Strategy parameters through the strategy's own zod schema (defaults filled in); 400 with the zod issues otherwise. */
export function validateStrategy(strategy: string, params: unknown): Record<string, unknown> {
  const parsed = parseStrategyParams(strategy, params);
  if (!parsed.ok) {
    const details = parsed.error.issues.map((i) => ({ path: `/strategyParams/${i.path.map(String).join('/')}`, code: i.code, message: i.message }));
    throw new AppError(parsed.error.code, parsed.error.message, { details });
  }
  return parsed.value.params as Record<string, unknown>;
}
