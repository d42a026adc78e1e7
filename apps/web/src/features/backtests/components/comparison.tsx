import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { SeriesChart, seriesColor, type ChartSeries } from '../../../components/charts/index.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { useComparison } from '../api/compare-backtests.ts';
import { bestOf, METRICS, SHOWN_METRICS } from './metrics.ts';
import { rangeText, runPath, runTitle } from './run-summary.tsx';

type Item = NonNullable<ReturnType<typeof useComparison>['data']>['items'][number];

/**
 * Completed backtests side by side: their equity curves overlaid as the return since each one's
 * start (runs with different cash stay comparable), and their metrics in columns with the best
 * of each rankable metric marked.
 */
export function Comparison({ ids }: { ids: string[] }) {
  const comparison = useComparison(ids);
  return <QueryState query={comparison}>{({ items }) => <ComparisonView items={items} />}</QueryState>;
}

function ComparisonView({ items }: { items: Item[] }) {
  const series = useMemo<ChartSeries[]>(
    () =>
      items.map((run, i) => {
        const start = run.metrics.startValue ?? run.equity.value[0] ?? 1;
        return { id: run.id, label: `${i + 1}. ${runTitle(run)}`, color: seriesColor(i), points: run.equity.time.map((t, k) => ({ time: t, value: run.equity.value[k]! / start - 1 })) };
      }),
    [items],
  );
  return (
    <div className="stack">
      <Panel title="Return since start" testId="compare-equity">
        <SeriesChart series={series} format="percent" label="Equity curves of the compared backtests, as return since start" className="chart" />
      </Panel>
      <Panel title="Metrics" flush testId="compare-metrics">
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>Metric</th>
                {items.map((run, i) => (
                  <th key={run.id} className="r" scope="col">
                    <span className="swatch" style={{ background: seriesColor(i) }} aria-hidden="true" /> <Link to={runPath('backtest', run.id)}>{`${i + 1}. ${runTitle(run)}`}</Link>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Symbols · timeframe</th>
                {items.map((run) => (
                  <td key={run.id} className="r mono">
                    {run.symbols.join(', ')} · {run.timeframe}
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row">Range</th>
                {items.map((run) => (
                  <td key={run.id} className="r muted">
                    {rangeText(run.from, run.to)}
                  </td>
                ))}
              </tr>
              {SHOWN_METRICS.map((key) => {
                const values = items.map((run) => run.metrics[key]);
                const best = bestOf(key, values);
                return (
                  <tr key={key} data-metric={key}>
                    <th scope="row">{METRICS[key].label}</th>
                    {values.map((v, i) => (
                      <td key={items[i]!.id} className={`r num${i === best && items.length > 1 ? ' best' : ''}`}>
                        {METRICS[key].format(v)}
                        {i === best && items.length > 1 && <span className="sr-only"> (best)</span>}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}
