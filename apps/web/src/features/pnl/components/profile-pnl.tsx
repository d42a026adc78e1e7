import { Num } from '../../../components/ui/num.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { useProfilePnl } from '../api/get-pnl.ts';
import { PositionsTable } from './positions-table.tsx';

/** A bot's equity and P&L, and its position, live after each fill. */
export function ProfilePnl({ profileId }: { profileId: string }) {
  const pnl = useProfilePnl(profileId);
  return (
    <Panel title="P&L and position" testId="profile-pnl">
      <QueryState query={pnl}>
        {(p) => (
          <div className="stack">
            <div className="stats">
              {(
                [
                  ['Equity', p.equity, false],
                  ['Net', p.net, true],
                  ['Realized', p.realized, true],
                  ['Unrealized', p.unrealized, true],
                  ['Fees', p.fees, false],
                ] as const
              ).map(([label, value, signed]) => (
                <div className="stat" key={label}>
                  <div className="label">
                    {label} {p.currency}
                  </div>
                  <div className="value">
                    <Num value={value} digits={2} signed={signed} />
                  </div>
                </div>
              ))}
            </div>
            {p.positions.some((x) => /[1-9]/.test(x.quantity)) ? <PositionsTable positions={p.positions} /> : <div className="muted">Flat: no open position.</div>}
          </div>
        )}
      </QueryState>
    </Panel>
  );
}
