import { useMemo } from 'react';
import type { BacktestResultView } from '@kestrel/contracts';
import { SeriesChart, seriesColor, type ChartSeries } from '../../../components/charts/index.tsx';
import { Panel } from '../../../components/ui/panel.tsx';

const points = (time: number[], values: number[]) => time.map((t, i) => ({ time: t, value: values[i] ?? null }));

/** The account value bar by bar (downsampled to at most 2000 points by the server). */
export function EquityChart({ result, currency }: { result: BacktestResultView; currency: string }) {
  const series = useMemo<ChartSeries[]>(() => [{ id: 'equity', label: `Equity (${currency})`, color: seriesColor(0), points: points(result.equity.time, result.equity.value) }], [result, currency]);
  return (
    <Panel title={`Equity (${currency})`} testId="backtest-equity">
      <SeriesChart series={series} label="Equity curve" />
    </Panel>
  );
}

/** How far below its running peak the account was, as a share of the peak. */
export function DrawdownChart({ result }: { result: BacktestResultView }) {
  const series = useMemo<ChartSeries[]>(() => [{ id: 'drawdown', label: 'Drawdown', color: seriesColor(1), kind: 'baseline', points: points(result.equity.time, result.equity.drawdown) }], [result]);
  return (
    <Panel title="Drawdown" testId="backtest-drawdown">
      <SeriesChart series={series} format="percent" label="Drawdown from the peak" />
    </Panel>
  );
}
