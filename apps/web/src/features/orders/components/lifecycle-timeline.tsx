import type { z } from 'zod';
import type { lifecycleStepSchema } from '@kestrel/contracts';
import { Badge } from '../../../components/ui/badge.tsx';
import { formatDateTime } from '../../../lib/format.ts';

export type LifecycleStep = z.infer<typeof lifecycleStepSchema>;

const SOURCES: Record<LifecycleStep['source'], string> = { local: 'Kestrel', exchange: 'exchange', reconciliation: 'reconciliation' };

/**
 * An order's lifecycle as a timeline, oldest first: each state change with when it happened, who
 * caused it (Kestrel itself, the exchange, or a reconciliation run) and the reason when there is one
 * — e.g. why an order was never sent, or was found lost.
 */
export function LifecycleTimeline({ steps, timeZone = 'UTC' }: { steps: LifecycleStep[]; timeZone?: string }) {
  if (steps.length === 0) return <div className="state">No lifecycle steps recorded yet.</div>;
  return (
    <ol className="timeline" aria-label="Order lifecycle">
      {steps.map((s, i) => (
        <li key={`${s.at}-${i}`} data-source={s.source} data-terminal={terminal(s.to)} data-testid="lifecycle-step">
          <div className="step">
            <span className="num muted">{formatDateTime(s.at, timeZone)}</span>
            <strong>
              {s.from} → {s.to}
            </strong>
            <span className="mono muted">{s.event}</span>
            <Badge tone={s.source === 'exchange' ? 'accent' : s.source === 'reconciliation' ? 'warn' : 'neutral'} plain>
              {SOURCES[s.source]}
            </Badge>
          </div>
          {s.reason && <div className="muted">{s.reason}</div>}
        </li>
      ))}
    </ol>
  );
}

function terminal(status: string): string | undefined {
  if (status === 'filled') return 'filled';
  if (status === 'rejected' || status === 'expired') return 'bad';
  return undefined;
}
