import { isApiError, type BacktestRequest } from '@kestrel/api-client';
import type { StrategyInfo } from '@kestrel/contracts';
import { fieldsFromSchema, initialInputs, issuesByField, valuesFromInputs, type FieldSpec, type FormInputs } from '../../../components/schema-form/json-schema.ts';
import { busiestTimeframe, symbolsOf, type CoverageEntry } from '../../../lib/coverage.ts';
import { utcInputToRequest } from '../../../lib/time-input.ts';

/**
 * What the backtest and sweep forms hold, as text (inputs stay text until sent), and how it
 * becomes a request. Empty inputs are left out, so the server applies its defaults; values that
 * are not what the API takes are sent as typed, so the server's message says what is wrong.
 */
export interface RunInputs {
  /** A strategy with its parameters, or a bot's configuration (profileId). */
  source: 'strategy' | 'profile';
  profileId: string;
  strategy: string;
  params: FormInputs;
  symbols: string[];
  timeframe: string;
  /** `YYYY-MM-DDTHH:mm`, UTC (datetime-local inputs); empty = the whole stored range. */
  from: string;
  to: string;
  cash: string;
  feeRate: string;
  slippageBps: string;
  fill: 'next-open' | 'close';
  warmupBars: string;
  stake: string;
  name: string;
}

/** A run to start from (a sweep's combination sent to the backtest form). */
export type RunPrefill = Partial<Omit<RunInputs, 'params'>> & { params?: Record<string, unknown> };

export const paramFields = (strategies: readonly StrategyInfo[], id: string): FieldSpec[] => {
  const s = strategies.find((x) => x.id === id);
  return s ? fieldsFromSchema(s.paramsSchema) : [];
};

export function initialRunInputs(strategies: readonly StrategyInfo[], coverage: readonly CoverageEntry[], prefill: RunPrefill = {}): RunInputs {
  const strategy = prefill.strategy ?? strategies[0]?.id ?? '';
  const timeframe = prefill.timeframe ?? busiestTimeframe(coverage);
  const { params, ...rest } = prefill;
  return {
    source: 'strategy',
    profileId: '',
    strategy,
    params: initialInputs(paramFields(strategies, strategy), params),
    symbols: symbolsOf(coverage, timeframe).slice(0, 1),
    timeframe,
    from: '',
    to: '',
    cash: '',
    feeRate: '',
    slippageBps: '',
    fill: 'next-open',
    warmupBars: '',
    stake: '',
    name: '',
    ...rest,
  };
}

const text = (v: string) => (v.trim() === '' ? undefined : v.trim());
const num = (v: string) => (v.trim() === '' ? undefined : Number(v));
const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The body of `POST /api/backtests` (and the common part of a sweep's). */
export function runRequest(inputs: RunInputs, fields: FieldSpec[]): BacktestRequest {
  const common = defined({
    name: text(inputs.name),
    from: utcInputToRequest(inputs.from),
    to: utcInputToRequest(inputs.to),
    cash: text(inputs.cash),
    feeRate: text(inputs.feeRate),
    slippageBps: num(inputs.slippageBps),
    fill: inputs.fill,
    warmupBars: num(inputs.warmupBars),
    stake: text(inputs.stake),
  });
  if (inputs.source === 'profile') return { ...common, profileId: inputs.profileId, ...(inputs.timeframe ? { timeframe: inputs.timeframe } : {}) };
  return { ...common, strategy: inputs.strategy, params: valuesFromInputs(fields, inputs.params), symbols: inputs.symbols, timeframe: inputs.timeframe };
}

/** The request fields RunFields shows an input for: a server message about one of them appears on it. */
export const RUN_FIELD_PATHS = ['/profileId', '/strategy', '/symbols', '/timeframe', '/from', '/to', '/cash', '/feeRate', '/slippageBps', '/fill', '/warmupBars', '/stake', '/name'] as const;

/**
 * A refused submission sorted by where each message belongs: `at(path)` for a field's input, the
 * strategy parameters' by name, and the rest (the error's own message first) for the form's alert.
 */
export interface Refusal {
  /** Messages about `path` and what is under it; `exact`: about `path` itself only. */
  at(path: string, exact?: boolean): string | undefined;
  params: Record<string, string>;
  /** The error's message and every issue no input shows; null when nothing was refused. */
  summary: string | null;
}

export function refusalOf(error: unknown, fields: FieldSpec[], shownPaths: readonly string[]): Refusal {
  if (!error) return { at: () => undefined, params: {}, summary: null };
  const issues = isApiError(error) ? error.fieldIssues() : [];
  const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  const params = issuesByField(issues, '/params', fields);
  const { '': unplacedParams, ...placedParams } = params;
  const leftover = issues.filter((i) => !under(i.path, '/params') && !shownPaths.some((p) => under(i.path, p))).map((i) => `${i.path || 'request'}: ${i.message}`);
  return {
    at: (path, exact = false) => {
      const messages = issues.filter((i) => (exact ? i.path === path : under(i.path, path))).map((i) => i.message);
      return messages.length ? messages.join('; ') : undefined;
    },
    params: placedParams,
    summary: [error instanceof Error ? error.message : 'The request was refused.', unplacedParams, ...leftover].filter(Boolean).join(' · '),
  };
}
