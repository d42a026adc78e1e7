import type { z } from 'zod';

/**
 * Codes this package returns. Stable: the API returns them and clients switch on them, so a code
 * is never renamed or reused; new ones are appended.
 */
export const STRATEGY_CODES = {
  STRATEGY_UNKNOWN: 'no built-in strategy has this id',
  STRATEGY_PARAMS_INVALID: 'the parameters do not match the strategy’s schema',
} as const satisfies Record<string, string>;

export type StrategyCode = keyof typeof STRATEGY_CODES;

/** A zod issue as returned to clients: `path` names the parameter, `message` says what is wrong. */
export type StrategyParamIssue = z.core.$ZodIssue;

export interface StrategyError {
  readonly code: StrategyCode;
  /** One line naming each bad parameter ("fast: fast (30) must be less than slow (30)"). */
  readonly message: string;
  /** The zod issues (empty for STRATEGY_UNKNOWN). */
  readonly issues: readonly StrategyParamIssue[];
}

export type StrategyResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: StrategyError };

/** Thrown by a strategy's `create` when given parameters its schema rejects. */
export class StrategyParamsError extends Error {
  readonly code = 'STRATEGY_PARAMS_INVALID' as const;
  readonly issues: readonly StrategyParamIssue[];

  constructor(strategyId: string, issues: readonly StrategyParamIssue[]) {
    super(`${strategyId}: ${issuesMessage(issues)}`);
    this.name = 'StrategyParamsError';
    this.issues = issues;
  }
}

export function issuesMessage(issues: readonly StrategyParamIssue[]): string {
  return issues.map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Parses with `schema`, throwing a StrategyParamsError (not a ZodError) on bad input. */
export function parseOrThrow<S extends z.ZodType>(strategyId: string, schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new StrategyParamsError(strategyId, parsed.error.issues);
  return parsed.data;
}
