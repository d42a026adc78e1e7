import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { BACKTEST_STATUSES, MAX_COMPARE, type BacktestStatus, type BacktestSummary } from '@kestrel/contracts';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { useCursorPages } from '../../../hooks/use-cursor-pages.ts';
import { formatDateTime, formatNumber, numberDirection } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';
import type { RunKind } from '../../../lib/query-keys.ts';
import { useRuns } from '../api/get-runs.ts';
import { METRICS } from './metrics.ts';
import { runPath, RunStatus, runTitle } from './run-summary.tsx';

/**
 * The tenant's backtests or sweeps, newest first, with live status and progress; filter by status,
 * cursor pages. Backtests can be ticked (completed ones, up to 10) to compare them.
 */
export function RunsTable({ kind }: { kind: RunKind }) {
  const [status, setStatus] = useState<BacktestStatus | ''>('');
  const pages = useCursorPages(status);
  const runs = useRuns(kind, { limit: 25, ...(status ? { status } : {}), ...(pages.cursor ? { cursor: pages.cursor } : {}) });
  const [selected, setSelected] = useState<string[]>([]);
  const { timezone } = usePreferences();
  const navigate = useNavigate();
  const comparable = kind === 'backtest';
  const toggle = (id: string, on: boolean) => setSelected(on ? [...selected, id] : selected.filter((x) => x !== id));
  return (
    <>
      <div className="filters">
        <Field label="Status">
          {(p) => (
            <select {...p} value={status} onChange={(e) => setStatus(e.target.value as BacktestStatus | '')}>
              <option value="">all</option>
              {BACKTEST_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        {comparable && (
          <Button onClick={() => navigate(`/backtests/compare?ids=${selected.join(',')}`)} disabled={selected.length < 2} data-testid="compare-selected">
            Compare {selected.length > 0 ? `${selected.length} ` : ''}selected
          </Button>
        )}
        {comparable && <span className="muted">tick 2 to {MAX_COMPARE} completed backtests</span>}
      </div>
      <QueryState query={runs} isEmpty={(p) => p.items.length === 0 && pages.page === 1} empty={kind === 'backtest' ? 'No backtests yet.' : 'No sweeps yet.'}>
        {(page) => (
          <>
            <div className="table-wrap">
              <table className="data" data-testid={`${kind}-runs`}>
                <thead>
                  <tr>
                    {comparable && (
                      <th>
                        <span className="sr-only">Compare</span>
                      </th>
                    )}
                    <th>Run</th>
                    <th>Symbols</th>
                    <th>TF</th>
                    <th>Status</th>
                    <th className="r">{kind === 'sweep' ? 'Best return' : 'Return'}</th>
                    <th className="r">Sharpe</th>
                    <th className="r">Max DD</th>
                    <th className="r">Trades</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((run) => (
                    <RunRow key={run.id} run={run} timezone={timezone} selectable={comparable} selected={selected.includes(run.id)} canSelect={selected.length < MAX_COMPARE} onToggle={toggle} />
                  ))}
                </tbody>
              </table>
            </div>
            <Pager label={kind === 'backtest' ? 'Backtest pages' : 'Sweep pages'} position={`Page ${pages.page}`} onPrevious={pages.page > 1 ? pages.newer : null} onNext={page.nextCursor ? () => pages.older(page.nextCursor!) : null} />
          </>
        )}
      </QueryState>
    </>
  );
}

function RunRow({ run, timezone, selectable, selected, canSelect, onToggle }: { run: BacktestSummary; timezone: string; selectable: boolean; selected: boolean; canSelect: boolean; onToggle: (id: string, on: boolean) => void }) {
  const navigate = useNavigate();
  const title = runTitle(run);
  const m = run.metrics;
  const ret = m?.totalReturn ?? null;
  return (
    <tr className="clickable" data-testid="backtest-row" data-status={run.status} onClick={() => navigate(runPath(run.kind, run.id))}>
      {selectable && (
        <td onClick={(e) => e.stopPropagation()}>
          <input type="checkbox" aria-label={`Compare ${title}`} checked={selected} disabled={run.status !== 'completed' || (!selected && !canSelect)} onChange={(e) => onToggle(run.id, e.target.checked)} />
        </td>
      )}
      <td>
        <Link to={runPath(run.kind, run.id)} onClick={(e) => e.stopPropagation()}>
          {title}
        </Link>
      </td>
      <td className="mono">{run.symbols.join(', ')}</td>
      <td>{run.timeframe}</td>
      <td>
        <RunStatus status={run.status} />
        {run.status === 'running' && <span className="muted num"> {formatNumber(run.progress.percent, 0)} %</span>}
      </td>
      <td className={`r num ${numberDirection(ret)}`}>{METRICS.totalReturn.format(ret)}</td>
      <td className="r num">{METRICS.sharpe.format(m?.sharpe ?? null)}</td>
      <td className="r num">{METRICS.maxDrawdown.format(m?.maxDrawdown ?? null)}</td>
      <td className="r num">{METRICS.trades.format(m?.trades ?? null)}</td>
      <td className="num muted">
        {formatDateTime(run.createdAt, timezone)} · {run.createdBy}
      </td>
    </tr>
  );
}
