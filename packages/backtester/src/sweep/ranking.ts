import type { BacktestMetrics } from '../types.ts';
import type { ParamCombination, ParamValue } from './param-space.ts';

/** A metric of the result and which way is better (the API's list: @kestrel/contracts BACKTEST_RANK_METRICS). */
export interface RankBy {
  readonly metric: keyof BacktestMetrics;
  readonly better: 'higher' | 'lower';
}

export interface RankableRow {
  readonly params: ParamCombination;
  /** Null for a combination that failed: it ranks last. */
  readonly metrics: Readonly<Partial<Record<keyof BacktestMetrics, number | null>>> | null;
}

/** The metric as a score where higher is better; -Infinity when missing or not a number (ranks last). */
export function rankScore(by: RankBy, metrics: RankableRow['metrics']): number {
  const v = metrics?.[by.metric];
  if (typeof v !== 'number' || Number.isNaN(v)) return -Infinity;
  return by.better === 'higher' ? v : -v;
}

const TYPE_ORDER: Record<string, number> = { boolean: 0, number: 1, string: 2 };
function compareValues(a: ParamValue | undefined, b: ParamValue | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a !== typeof b) return TYPE_ORDER[typeof a]! - TYPE_ORDER[typeof b]!;
  return a < b ? -1 : 1;
}

/** A total order of combinations: parameter by parameter in ascending name order, values ascending (no locale rules). */
export function compareParams(a: ParamCombination, b: ParamCombination): number {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const name of names) {
    const c = compareValues(a[name], b[name]);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Rows best first by the metric, ties broken by the parameter values (compareParams), so the
 * ranking depends only on the results, never on which worker finished first. `rank` starts at 1.
 */
export function rankRows<T extends RankableRow>(rows: readonly T[], by: RankBy): Array<T & { rank: number }> {
  return rows
    .map((row) => ({ row, score: rankScore(by, row.metrics) }))
    .sort((x, y) => (x.score === y.score ? compareParams(x.row.params, y.row.params) : y.score > x.score ? 1 : -1))
    .map(({ row }, i) => ({ ...row, rank: i + 1 }));
}
