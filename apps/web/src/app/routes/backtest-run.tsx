import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { BacktestDetail, BacktestResultView, SweepDetail } from '@kestrel/contracts';
import { CandleChart } from '../../components/charts/index.tsx';
import { Field } from '../../components/ui/field.tsx';
import { Panel } from '../../components/ui/panel.tsx';
import { QueryState } from '../../components/ui/states.tsx';
import { priceDigits } from '../../lib/format.ts';
import { useBacktest, useSweep } from '../../features/backtests/api/get-run.ts';
import { DrawdownChart, EquityChart } from '../../features/backtests/components/equity-charts.tsx';
import { MetricsCards } from '../../features/backtests/components/metrics-cards.tsx';
import { ResultFacts, RunSettingsList } from '../../features/backtests/components/run-details.tsx';
import { RunHeader } from '../../features/backtests/components/run-header.tsx';
import { SweepResults } from '../../features/backtests/components/sweep-results.tsx';
import { tradeMarkers } from '../../features/backtests/components/trade-markers.ts';
import { TradesTable } from '../../features/backtests/components/trades-table.tsx';
import { useStoredCandles } from '../../features/market-data/api/get-stored-candles.ts';

/** Bars of the run's candle chart: enough to see the trades, few enough to draw at once. */
const CHART_BARS = 5_000;

function Crumb({ to, label }: { to: string; label: string }) {
  return (
    <nav className="crumbs" aria-label="Breadcrumb">
      <Link to={to}>{label}</Link>
    </nav>
  );
}

/** One backtest: live progress while it runs, then metrics, equity and drawdown, the candles with entries and exits, and the trades. */
export function BacktestRunRoute() {
  const { runId = '' } = useParams();
  const run = useBacktest(runId);
  return (
    <div className="stack">
      <Crumb to="/backtests" label="← All backtests" />
      <QueryState query={run}>
        {(r) => (
          <>
            <RunHeader run={r} />
            {r.result && <BacktestResults run={r} result={r.result} />}
          </>
        )}
      </QueryState>
    </div>
  );
}

function BacktestResults({ run, result }: { run: BacktestDetail; result: BacktestResultView }) {
  const currency = run.symbols[0]?.split('/')[1] ?? '';
  return (
    <div className="grid" data-testid="backtest-results">
      <div className="span-12">
        <Panel title="Metrics">
          <MetricsCards metrics={result.metrics} currency={currency} />
        </Panel>
      </div>
      <div className="span-6">
        <EquityChart result={result} currency={currency} />
      </div>
      <div className="span-6">
        <DrawdownChart result={result} />
      </div>
      <div className="span-12">
        <TradesChart run={run} result={result} />
      </div>
      <div className="span-12">
        <Panel title={`Trades (${result.counts.trades.toLocaleString('en-US')})`} flush>
          <TradesTable result={result} />
        </Panel>
      </div>
      <div className="span-6">
        <Panel title="Settings">
          <RunSettingsList settings={run.settings} params={run.params} />
        </Panel>
      </div>
      <div className="span-6">
        <Panel title="Run">
          <ResultFacts result={result} />
        </Panel>
      </div>
    </div>
  );
}

/** The stored candles the run played, with a marker at each entry and exit (one symbol at a time). */
function TradesChart({ run, result }: { run: BacktestDetail; result: BacktestResultView }) {
  const [symbol, setSymbol] = useState(run.symbols[0] ?? '');
  const candles = useStoredCandles({ symbol, timeframe: run.timeframe, from: result.startTime, to: result.endTime + 1, limit: CHART_BARS });
  const markers = useMemo(() => tradeMarkers(result, symbol), [result, symbol]);
  const picker =
    run.symbols.length > 1 ? (
      <Field label="Symbol">
        {(p) => (
          <select {...p} value={symbol} onChange={(e) => setSymbol(e.target.value)}>
            {run.symbols.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        )}
      </Field>
    ) : undefined;
  return (
    <Panel title={`${symbol} · ${run.timeframe} · entries and exits${result.bars > CHART_BARS ? ` (the first ${CHART_BARS.toLocaleString('en-US')} bars)` : ''}`} actions={picker} testId="backtest-chart">
      <QueryState query={candles} isEmpty={(c) => c.items.length === 0} empty="The candles of this run are no longer stored.">
        {(c) => <CandleChart candles={c.items} markers={markers} digits={priceDigits(c.items[0]?.close ?? 1)} label={`${symbol} candles with the backtest's entries and exits`} />}
      </QueryState>
    </Panel>
  );
}

/** One sweep: live progress, then the ranking and the out-of-sample table. */
export function SweepRunRoute() {
  const { runId = '' } = useParams();
  const sweep = useSweep(runId);
  return (
    <div className="stack">
      <Crumb to="/backtests/sweeps" label="← All sweeps" />
      <QueryState query={sweep}>
        {(s) => (
          <>
            <RunHeader run={s} />
            <SweepSpace sweep={s} />
            {s.result && <SweepResults sweep={s} result={s.result} />}
          </>
        )}
      </QueryState>
    </div>
  );
}

function SweepSpace({ sweep }: { sweep: SweepDetail }) {
  return (
    <Panel title="Space and settings">
      <div className="grid">
        <dl className="kv span-6">
          <dt>Space</dt>
          <dd className="mono">{JSON.stringify('grid' in sweep.space ? sweep.space.grid : sweep.space.random)}</dd>
          <dt>Search</dt>
          <dd>{'grid' in sweep.space ? 'grid: every combination' : 'random sample'}</dd>
          <dt>Out of sample</dt>
          <dd>{sweep.outOfSample ? ('fraction' in sweep.outOfSample ? `the last ${sweep.outOfSample.fraction * 100} % of the bars, best ${sweep.topN} re-run` : `a separate range, best ${sweep.topN} re-run`) : 'none'}</dd>
        </dl>
        <div className="span-6">
          <RunSettingsList settings={sweep.settings} params={sweep.params} />
        </div>
      </div>
    </Panel>
  );
}
