import { useState } from 'react';
import type { ResearchStats } from '@kestrel/contracts';
import { BarChart } from '../../../components/charts/index.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatDateTime, formatDuration, formatNumber, formatPercent } from '../../../lib/format.ts';
import { useReturnStats } from '../api/get-stats.ts';
import type { ResearchView } from './research-controls.tsx';

/**
 * Return and risk statistics of the view's closes: the distribution of bar returns as a
 * histogram with its moments, annualized volatility, Sharpe and Sortino, and the deepest
 * drawdown. Annualization assumes a market open around the clock unless periods per year are
 * given (252 for daily bars of a stock).
 */
export function ReturnStats({ view: w }: { view: ResearchView }) {
  const [periodsPerYear, setPeriodsPerYear] = useState('');
  const ppy = Number(periodsPerYear);
  const stats = useReturnStats({ symbol: w.symbol, timeframe: w.timeframe, bins: 30, ...(w.from !== undefined ? { from: w.from } : {}), ...(w.to !== undefined ? { to: w.to } : {}), ...(periodsPerYear.trim() && Number.isFinite(ppy) ? { periodsPerYear: ppy } : {}) });
  return (
    <Panel title="Returns and risk" testId="research-stats">
      <div className="stack">
        <Field label="Periods per year" hint={stats.data?.periodsPerYear ? `empty: ${formatNumber(stats.data.periodsPerYear, 0)} (around the clock); 252 for daily stock bars` : 'empty: around the clock'}>
          {(p) => <input {...p} type="number" min={1} step="any" value={periodsPerYear} onChange={(e) => setPeriodsPerYear(e.target.value)} />}
        </Field>
        <QueryState query={stats} isEmpty={(s) => s.simple.count === 0} empty="Fewer than two adjacent bars in this range: no return to measure.">
          {(s) => <StatsView stats={s} />}
        </QueryState>
      </div>
    </Panel>
  );
}

function StatsView({ stats: s }: { stats: ResearchStats }) {
  const { edges, counts } = s.histogram;
  const bars = counts.map((count, i) => {
    const low = edges[i]!;
    const high = edges[i + 1]!;
    const mid = (low + high) / 2;
    return { key: String(i), label: formatPercent(mid, 1), value: count, tone: mid < 0 ? ('down' as const) : ('up' as const), detail: `${formatPercent(low, 3)} to ${formatPercent(high, 3)}: ${count.toLocaleString('en-US')} bars` };
  });
  const dd = s.drawdown;
  return (
    <>
      <BarChart bars={bars} label={`Distribution of ${s.simple.count} bar returns of ${s.symbol}`} format={(v) => formatNumber(v, 0)} testId="returns-histogram" />
      <dl className="kv" data-testid="return-stats">
        <dt>Returns</dt>
        <dd className="num">
          {s.simple.count.toLocaleString('en-US')} over {s.bars.toLocaleString('en-US')} bars{s.gaps ? `, ${s.gaps} gaps skipped` : ''}
        </dd>
        <dt>Mean · stdev</dt>
        <dd className="num">
          {formatPercent(s.simple.mean, 4)} · {formatPercent(s.simple.stdev, 4)}
        </dd>
        <dt>Skew · excess kurtosis</dt>
        <dd className="num">
          {formatNumber(s.simple.skewness, 2)} · {formatNumber(s.simple.kurtosis, 2)}
        </dd>
        <dt>Worst · best bar</dt>
        <dd className="num">
          {formatPercent(s.simple.min, 2)} · {formatPercent(s.simple.max, 2)}
        </dd>
        <dt>Volatility (annualized)</dt>
        <dd className="num">{formatPercent(s.annualizedVolatility, 1)}</dd>
        <dt>Sharpe · Sortino</dt>
        <dd className="num">
          {formatNumber(s.sharpe, 2)} · {formatNumber(s.sortino, 2)}
        </dd>
        <dt>Max drawdown</dt>
        <dd>
          {formatPercent(dd.max, 2)}
          {dd.peakTime !== null && ` from ${formatDateTime(dd.peakTime)} to ${formatDateTime(dd.troughTime)}, ${dd.recoveryTime === null ? 'not recovered' : `recovered ${formatDateTime(dd.recoveryTime)}`}`}
        </dd>
        <dt>Longest under water</dt>
        <dd className="num">{formatDuration(dd.longestDurationMs)}</dd>
      </dl>
    </>
  );
}
