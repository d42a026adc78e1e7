import type { TenantPnl } from '@kestrel/contracts';
import { Num } from '../../../components/ui/num.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { direction } from '../../../lib/format.ts';
import { useTenantPnl } from '../api/get-pnl.ts';

/** Equity, today's P&L and the net result of every bot, per quote currency. */
export function EquitySummary() {
  const pnl = useTenantPnl();
  return (
    <Panel title="Account" testId="equity">
      <QueryState query={pnl} isEmpty={(p) => p.currencies.length === 0} empty="No capital allocated yet.">
        {(p) => (
          <div className="stack">
            {p.currencies.map((c) => (
              <div key={c.currency} className="stats">
                <Stat label={`Equity ${c.currency}`} value={c.equity} testId="equity-value" />
                <Stat label="Today (realized − fees, UTC)" value={today(p, c.currency)} signed testId="today-pnl" />
                <Stat label="Unrealized" value={c.unrealized} signed />
                <Stat label="Net since start" value={c.net} signed />
                <Stat label="Fees" value={c.fees} />
                <div className="stat">
                  <div className="label">Bots</div>
                  <div className="value">{c.profiles}</div>
                </div>
                {c.stale && <div className="warn">Some marks are stale: the market feed is behind.</div>}
              </div>
            ))}
          </div>
        )}
      </QueryState>
    </Panel>
  );
}

function Stat({ label, value, signed = false, testId }: { label: string; value: string; signed?: boolean; testId?: string }) {
  const tone = signed ? direction(value) : 'flat';
  return (
    <div className="stat" data-testid={testId}>
      <div className="label">{label}</div>
      <div className={`value ${tone === 'flat' ? '' : tone}`}>
        <Num value={value} digits={2} signed={signed} />
      </div>
    </div>
  );
}

function today(p: TenantPnl, currency: string): string {
  const day = new Date().toISOString().slice(0, 10);
  return p.days.find((d) => d.day === day && d.currency === currency)?.net ?? '0';
}
