import { BACKTEST_RANK_METRICS, type BacktestMetricsView } from '@kestrel/contracts';
import { formatDuration, formatNumber, formatPercent, priceDigits } from '../../../lib/format.ts';

export type MetricKey = keyof BacktestMetricsView;

/** Money in the quote currency to the places it needs: 95,932.08 USDT, 0.00004215 BTC of fees. */
const money = (v: number | null) => formatNumber(v, v === null || v === 0 ? 2 : priceDigits(v));

/** How each metric of a backtest is named and shown (fractions as percentages, money in the quote currency). */
export const METRICS: Record<MetricKey, { label: string; format: (v: number | null) => string; signed?: boolean }> = {
  totalReturn: { label: 'Total return', format: (v) => formatPercent(v), signed: true },
  cagr: { label: 'CAGR', format: (v) => formatPercent(v), signed: true },
  sharpe: { label: 'Sharpe', format: (v) => formatNumber(v, 2), signed: true },
  sortino: { label: 'Sortino', format: (v) => formatNumber(v, 2), signed: true },
  maxDrawdown: { label: 'Max drawdown', format: (v) => formatPercent(v) },
  maxDrawdownDurationMs: { label: 'Longest drawdown', format: formatDuration },
  winRate: { label: 'Win rate', format: (v) => formatPercent(v, 1) },
  profitFactor: { label: 'Profit factor', format: (v) => formatNumber(v, 2) },
  exposure: { label: 'Exposure', format: (v) => formatPercent(v, 1) },
  trades: { label: 'Trades', format: (v) => formatNumber(v, 0) },
  feesPaid: { label: 'Fees paid', format: money },
  startValue: { label: 'Start value', format: money },
  finalValue: { label: 'Final value', format: money },
};

/** The metrics on a result's cards and in a comparison, in reading order. */
export const SHOWN_METRICS: MetricKey[] = ['totalReturn', 'cagr', 'sharpe', 'sortino', 'maxDrawdown', 'maxDrawdownDurationMs', 'winRate', 'profitFactor', 'exposure', 'trades', 'feesPaid', 'finalValue'];

/** The index of the best value among runs for a metric a sweep can rank by (null: not comparable, or none defined). */
export function bestOf(metric: MetricKey, values: Array<number | null>): number | null {
  const better = (BACKTEST_RANK_METRICS as Partial<Record<MetricKey, 'higher' | 'lower'>>)[metric];
  if (!better) return null;
  let best: number | null = null;
  values.forEach((v, i) => {
    if (v === null) return;
    const b = best === null ? null : values[best]!;
    if (b === null || (better === 'higher' ? v > b : v < b)) best = i;
  });
  return best;
}
