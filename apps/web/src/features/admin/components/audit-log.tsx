import { useState } from 'react';
import type { AuditQuery } from '@kestrel/api-client';
import { AUDIT_ACTIONS } from '@kestrel/contracts';
import { Pager } from '../../../components/ui/pager.tsx';
import { useCursorPages } from '../../../hooks/use-cursor-pages.ts';
import { utcInputToRequest } from '../../../lib/time-input.ts';
import { Field } from '../../../components/ui/field.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';
import { useAudit } from '../api/audit.ts';

/**
 * Who did what, newest first: kill switches, bot controls, manual orders, accounts, reconciliation.
 * Filters by action, actor and time; each entry expands to its before/after state.
 */
export function AuditLog() {
  const [filters, setFilters] = useState({ action: '', actorId: '', from: '', to: '' });
  // Other filters start from the first page.
  const pages = useCursorPages(JSON.stringify(filters));
  const cursor = pages.cursor;
  const from = utcInputToRequest(filters.from);
  const to = utcInputToRequest(filters.to);
  const query: AuditQuery = {
    limit: 50,
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.actorId.trim() ? { actorId: filters.actorId.trim() } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(cursor ? { cursor } : {}),
  };
  const audit = useAudit(query);
  const { timezone } = usePreferences();
  const change = (k: keyof typeof filters, v: string) => setFilters({ ...filters, [k]: v });
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
            <Pager label="Audit pages" position={`Page ${pages.page}`} onPrevious={pages.page > 1 ? pages.newer : null} onNext={page.nextCursor ? () => pages.older(page.nextCursor!) : null} />
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
