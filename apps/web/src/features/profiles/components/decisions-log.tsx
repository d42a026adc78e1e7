import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { DecisionView } from '@kestrel/contracts';
import { Badge, type Tone } from '../../../components/ui/badge.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatTime } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';
import { useDecisions, type DecisionOutcome } from '../api/get-decisions.ts';

const TONES: Record<DecisionView['outcome'], Tone> = { approved: 'up', denied: 'down', skipped: 'warn' };
const FILTERS: Array<{ value: DecisionOutcome | undefined; label: string }> = [
  { value: undefined, label: 'All' },
  { value: 'denied', label: 'Denied' },
  { value: 'skipped', label: 'Skipped' },
  { value: 'approved', label: 'Approved' },
];

/**
 * "Why no trade": every decision of the bot, newest first — the rule or risk code that refused an
 * intent, with the reason and its numbers, or the order an approval placed.
 */
export function DecisionsLog({ profileId }: { profileId: string }) {
  const [outcome, setOutcome] = useState<DecisionOutcome | undefined>(undefined);
  const decisions = useDecisions(profileId, outcome);
  const { timezone } = usePreferences();
  return (
    <Panel
      title="Decisions — why (no) trade"
      flush
      testId="decisions"
      actions={
        <div className="btn-group" role="radiogroup" aria-label="Show decisions">
          {FILTERS.map((f) => (
            <button key={f.label} type="button" role="radio" aria-checked={outcome === f.value} className={`btn ${outcome === f.value ? 'btn-primary' : 'btn-ghost'}`} onClick={() => setOutcome(f.value)}>
              {f.label}
            </button>
          ))}
        </div>
      }
    >
      <QueryState query={decisions} isEmpty={(d) => d.items.length === 0} empty={outcome ? `No ${outcome} decisions.` : 'No decisions yet: the bot decides on each closed bar once it runs.'}>
        {({ items }) => (
          <div className="table-wrap" style={{ maxHeight: 360 }}>
            <table className="data">
              <thead>
                <tr>
                  <th>Time</th>
                  <th className="r">#</th>
                  <th>Outcome</th>
                  <th>Code</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr key={d.id}>
                    <td className="num">{formatTime(d.at, timezone)}</td>
                    <td className="num r muted">{d.seq}</td>
                    <td>
                      <Badge tone={TONES[d.outcome]}>{d.outcome}</Badge> {d.source === 'manual' && <span className="muted">manual</span>}
                    </td>
                    <td className="mono">{d.code ?? <span className="muted">—</span>}</td>
                    <td className="wrap">
                      {d.reason} {d.orderId && <Link to={`/orders/${d.orderId}`}>order</Link>}
                    </td>
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
