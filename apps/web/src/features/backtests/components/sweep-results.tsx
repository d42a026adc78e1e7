import { Fragment } from 'react';
import { Link } from 'react-router-dom';
import type { SweepDetail, SweepResultView } from '@kestrel/contracts';
import { Panel } from '../../../components/ui/panel.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { useSlicePages } from '../../../hooks/use-slice-pages.ts';
import { formatDateTime, numberDirection } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';
import { METRICS, type MetricKey } from './metrics.ts';
import type { RunPrefill } from './run-form-model.ts';

/** Metrics the ranking shows next to the one it ranks by. */
const COLUMNS: MetricKey[] = ['totalReturn', 'sharpe', 'maxDrawdown', 'winRate', 'trades', 'finalValue'];

/** The parameters the sweep varied (the other ones are the same in every row). */
const variedParams = (sweep: SweepDetail) => Object.keys('grid' in sweep.space ? sweep.space.grid : sweep.space.random.ranges);

/** A link that opens the backtest form filled in with one combination of the sweep, to look at it in full. */
function BacktestThis({ sweep, params }: { sweep: SweepDetail; params: Record<string, unknown> }) {
  const prefill: RunPrefill = { strategy: sweep.strategy, params, symbols: sweep.symbols, timeframe: sweep.timeframe, cash: sweep.settings.cash, feeRate: sweep.settings.feeRate, slippageBps: String(sweep.settings.slippageBps), fill: sweep.settings.fill };
  return (
    <Link to="/backtests" state={{ prefill }}>
      Backtest
    </Link>
  );
}

const cell = (key: MetricKey, v: number | null | undefined) => <td className={`r num ${METRICS[key].signed ? numberDirection(v) : ''}`}>{METRICS[key].format(v ?? null)}</td>;

/**
 * A completed sweep: every combination ranked by the chosen metric on the in-sample bars, and the
 * best ones re-run on the held-back bars next to their in-sample figures — a combination that only
 * shines in sample was fitted to noise.
 */
export function SweepResults({ sweep, result }: { sweep: SweepDetail; result: SweepResultView }) {
  const { timezone } = usePreferences();
  const varied = variedParams(sweep);
  const rank = result.rankBy;
  const pages = useSlicePages(result.ranking, 50);
  return (
    <div className="stack">
      <Panel title={`Ranking by ${METRICS[rank].label} (${result.better} is better)`} flush testId="sweep-ranking">
        <p className="panel-note muted">
          {result.combinations.toLocaleString('en-US')} combinations on {formatDateTime(result.inSample.from, timezone)} → {formatDateTime(result.inSample.to, timezone)}
          {result.skipped.length > 0 && `; ${result.skipped.length} skipped by the strategy’s schema (e.g. ${result.skipped[0]!.message})`}
        </p>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th className="r">Rank</th>
                {varied.map((p) => (
                  <th key={p} className="r">
                    {p}
                  </th>
                ))}
                <th className="r ranked">{METRICS[rank].label}</th>
                {COLUMNS.filter((c) => c !== rank).map((c) => (
                  <th key={c} className="r">
                    {METRICS[c].label}
                  </th>
                ))}
                <th />
              </tr>
            </thead>
            <tbody>
              {pages.rows.map((row) => (
                <tr key={row.rank} data-testid="sweep-row">
                  <td className="r num">{row.rank}</td>
                  {varied.map((p) => (
                    <td key={p} className="r num">
                      {String(row.params[p])}
                    </td>
                  ))}
                  {row.error ? (
                    <td className="wrap down" colSpan={COLUMNS.length + (COLUMNS.includes(rank) ? 0 : 1)}>
                      {row.error.code}: {row.error.message}
                    </td>
                  ) : (
                    <>
                      {cell(rank, row.metrics?.[rank])}
                      {COLUMNS.filter((c) => c !== rank).map((c) => (
                        <Fragment key={c}>{cell(c, row.metrics?.[c])}</Fragment>
                      ))}
                    </>
                  )}
                  <td>
                    <BacktestThis sweep={sweep} params={row.params} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager label="Ranking pages" position={pages.position} onPrevious={pages.previous} onNext={pages.next} previousLabel="Better" nextLabel="Worse" />
      </Panel>
      {result.outOfSample && <OutOfSample sweep={sweep} result={result} oos={result.outOfSample} />}
    </div>
  );
}

function OutOfSample({ sweep, result, oos }: { sweep: SweepDetail; result: SweepResultView; oos: NonNullable<SweepResultView['outOfSample']> }) {
  const { timezone } = usePreferences();
  const varied = variedParams(sweep);
  const compared: MetricKey[] = [...new Set<MetricKey>([result.rankBy, 'totalReturn', 'sharpe', 'maxDrawdown', 'trades'])];
  return (
    <Panel title="In sample vs out of sample" flush testId="sweep-out-of-sample">
      <p className="panel-note muted">
        The best {oos.rows.length} re-run on {formatDateTime(oos.range.from, timezone)} → {formatDateTime(oos.range.to, timezone)}, bars they were not chosen on.
      </p>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th className="r" rowSpan={2}>
                Rank
              </th>
              {varied.map((p) => (
                <th key={p} className="r" rowSpan={2}>
                  {p}
                </th>
              ))}
              {compared.map((m) => (
                <th key={m} className="r" colSpan={2}>
                  {METRICS[m].label}
                </th>
              ))}
            </tr>
            <tr>
              {compared.map((m) => (
                <Fragment key={m}>
                  <th className="r">in</th>
                  <th className="r">out</th>
                </Fragment>
              ))}
            </tr>
          </thead>
          <tbody>
            {oos.rows.map((row) => (
              <tr key={row.inSampleRank} data-testid="sweep-oos-row">
                <td className="r num">{row.inSampleRank}</td>
                {varied.map((p) => (
                  <td key={p} className="r num">
                    {String(row.params[p])}
                  </td>
                ))}
                {row.error ? (
                  <td className="wrap down" colSpan={compared.length * 2}>
                    {row.error.code}: {row.error.message}
                  </td>
                ) : (
                  compared.map((m) => (
                    <Fragment key={m}>
                      {cell(m, row.inSample?.[m])}
                      {cell(m, row.outOfSample?.[m])}
                    </Fragment>
                  ))
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
