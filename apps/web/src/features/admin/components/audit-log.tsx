import { useState } from 'react';
import type { AuditQuery } from '@kestrel/api-client';
import { AUDIT_ACTIONS } from '@kestrel/contracts';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';
import { useAudit } from '../api/audit.ts';

/** `datetime-local` value (read as UTC) → ISO 8601, as the API's `from`/`to` want it. */
const toIso = (local: string) => (local ? new Date(`${local}:00Z`).toISOString() : undefined);

/**
 * Who did what, newest first: kill switches, bot controls, manual orders, accounts, reconciliation.
 * Filters by action, actor and time; each entry expands to its before/after state.
 */
export function AuditLog() {
  const [filters, setFilters] = useState({ action: '', actorId: '', from: '', to: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const query: AuditQuery = {
    limit: 50,
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.actorId.trim() ? { actorId: filters.actorId.trim() } : {}),
    ...(filters.from ? { from: toIso(filters.from) } : {}),
    ...(filters.to ? { to: toIso(filters.to) } : {}),
    ...(cursor ? { cursor } : {}),
  };
  const audit = useAudit(query);
  const { timezone } = usePreferences();
  const change = (k: keyof typeof filters, v: string) => {
    setFilters({ ...filters, [k]: v });
    setCursors([]);
  };
  return (
    <Panel title="Audit log" flush testId="audit-log">
      <div className="filters" role="search" aria-label="Filter the audit log">
        <Field label="Action">
          {(p) => (
            <select {...p} value={filters.action} onChange={(e) => change('action', e.target.value)}>
              <option value="">All actions</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Actor id">{(p) => <input {...p} className="mono" placeholder="user id" value={filters.actorId} onChange={(e) => change('actorId', e.target.value)} />}</Field>
        <Field label="From (UTC)">{(p) => <input {...p} type="datetime-local" value={filters.from} onChange={(e) => change('from', e.target.value)} />}</Field>
        <Field label="To (UTC)">{(p) => <input {...p} type="datetime-local" value={filters.to} onChange={(e) => change('to', e.target.value)} />}</Field>
      </div>
      <QueryState query={audit} isEmpty={(a) => a.items.length === 0} empty="No entries match.">
        {(page) => (
          <>
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Actor</th>
                    <th>Action</th>
                    <th>Target</th>
                    <th>Change</th>
                    <th>Request id</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((e) => (
                    <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                      <td className="num">{formatDateTime(e.createdAt, timezone)}</td>
                      <td>
                        <button type="button" className="btn btn-ghost" title="Show only this actor" onClick={() => change('actorId', e.actorId)}>
                          {e.actorUsername}
                        </button>
                      </td>
                      <td className="mono">{e.action}</td>
                      <td className="mono muted">{e.target}</td>
                      <td className="wrap">
                        <details>
                          <summary>{summary(e.after)}</summary>
                          <pre className="json">{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
                        </details>
                      </td>
                      <td className="mono muted">{e.requestId}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav className="pager" aria-label="Audit pages">
              <Button onClick={() => setCursors(cursors.slice(0, -1))} disabled={cursors.length === 0}>
                Newer
              </Button>
              <Button onClick={() => page.nextCursor && setCursors([...cursors, page.nextCursor])} disabled={!page.nextCursor}>
                Older
              </Button>
            </nav>
          </>
        )}
      </QueryState>
    </Panel>
  );
}

/** A one-line gist of the new state: the fields people look for first. */
function summary(after: unknown): string {
  if (!after || typeof after !== 'object') return 'details';
  const a = after as Record<string, unknown>;
  if ('tradingEnabled' in a) return a.tradingEnabled ? 'trading on' : `halted: ${String(a.killSwitchReason ?? '')}`;
  if ('status' in a) return `status ${String(a.status)}`;
  return 'details';
}
