import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { RECONCILIATION_STATUSES, type ReconciliationRun } from '@kestrel/contracts';
import { Badge, type Tone } from '../../../components/ui/badge.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';
import { useReconciliationRun, useReconciliationRuns } from '../api/reconciliation.ts';

const STATUS_TONES: Record<ReconciliationRun['status'], Tone> = { running: 'accent', succeeded: 'up', failed: 'down' };

/** Reconciliation runs (start-up, periodic, manual), newest first; a run opens its discrepancies. */
export function ReconciliationRuns() {
  const [status, setStatus] = useState('');
  const runs = useReconciliationRuns({ limit: 100, ...(status ? { status: status as ReconciliationRun['status'] } : {}) });
  const { timezone } = usePreferences();
  const navigate = useNavigate();
  return (
    <Panel title="Reconciliation runs" flush testId="reconciliation-runs">
      <div className="filters">
        <Field label="Status">
          {(p) => (
            <select {...p} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">Any</option>
              {RECONCILIATION_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <QueryState query={runs} isEmpty={(r) => r.items.length === 0} empty="No runs yet: the trading runtime reconciles each account at start-up and every minute.">
        {({ items }) => (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>Started</th>
                  <th>Trigger</th>
                  <th>Status</th>
                  <th className="r">Discrepancies</th>
                  <th className="r">Orders checked</th>
                  <th>Error</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.id} className="clickable" onClick={() => navigate(`/admin/reconciliation/${r.id}`)}>
                    <td className="num">
                      <Link to={`/admin/reconciliation/${r.id}`} onClick={(e) => e.stopPropagation()}>
                        {formatDateTime(r.startedAt, timezone)}
                      </Link>
                    </td>
                    <td>{r.trigger}</td>
                    <td>
                      <Badge tone={STATUS_TONES[r.status]}>{r.status}</Badge>
                    </td>
                    <td className={`num r${r.discrepancyCount ? ' warn' : ''}`}>{r.discrepancyCount}</td>
                    <td className="num r">{r.summary?.ordersLifecycleChecked ?? '—'}</td>
                    <td className="wrap down">{r.error}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </Panel>
  );
}

/** One run: its summary counts and every discrepancy with what was done about it. */
export function ReconciliationRunDetail({ runId }: { runId: string }) {
  const run = useReconciliationRun(runId);
  const { timezone } = usePreferences();
  return (
    <QueryState query={run}>
      {(r) => (
        <div className="stack">
          <Panel title={`Run ${r.id.slice(0, 8)} · ${r.trigger}`} actions={<Badge tone={STATUS_TONES[r.status]}>{r.status}</Badge>}>
            <div className="stack">
              <div className="muted">
                {formatDateTime(r.startedAt, timezone)} → {formatDateTime(r.finishedAt, timezone)} · account <span className="mono">{r.exchangeAccountId}</span>
              </div>
              {r.error && <div className="alert alert-error">{r.error}</div>}
              {r.summary && (
                <div className="stats">
                  {Object.entries(r.summary).map(([k, v]) => (
                    <div className="stat" key={k}>
                      <div className="label">{k.replace(/([A-Z])/g, ' $1').toLowerCase()}</div>
                      <div className="value">{v}</div>
                    </div>
                  ))}
                </div>
              )}
            </div>
          </Panel>
          <Panel title={`Discrepancies (${r.discrepancies.length})`} flush>
            {r.discrepancies.length === 0 ? (
              <div className="state">None: local state matched the venue.</div>
            ) : (
              <table className="data">
                <thead>
                  <tr>
                    <th>Kind</th>
                    <th>Resolution</th>
                    <th>Order</th>
                    <th>What</th>
                  </tr>
                </thead>
                <tbody>
                  {r.discrepancies.map((d) => (
                    <tr key={d.id}>
                      <td className="mono">{d.kind}</td>
                      <td>{d.resolution === 'flagged' ? <Badge tone="warn">flagged: look at it</Badge> : <Badge plain>{d.resolution ?? '—'}</Badge>}</td>
                      <td>{d.orderId ? <Link to={`/orders/${d.orderId}`}>{d.clientOrderId ?? d.orderId.slice(0, 8)}</Link> : <span className="mono muted">{d.clientOrderId ?? '—'}</span>}</td>
                      <td className="wrap">{String(d.details.message ?? '')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Panel>
        </div>
      )}
    </QueryState>
  );
}
