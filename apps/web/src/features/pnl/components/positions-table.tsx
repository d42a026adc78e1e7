import { Link } from 'react-router-dom';
import type { ValuedPosition } from '@kestrel/contracts';
import { Num } from '../../../components/ui/num.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { useTenantPnl } from '../api/get-pnl.ts';

/** Open positions of every bot, marked at the market's last price. */
export function OpenPositions({ names = {} }: { names?: Record<string, string> }) {
  const pnl = useTenantPnl();
  return (
    <Panel title="Open positions" flush testId="positions">
      <QueryState query={pnl} isEmpty={(p) => open(p.profiles.flatMap((x) => x.positions)).length === 0} empty="No open positions.">
        {(p) => <PositionsTable positions={open(p.profiles.flatMap((x) => x.positions))} names={names} />}
      </QueryState>
    </Panel>
  );
}

export function PositionsTable({ positions, names = {} }: { positions: ValuedPosition[]; names?: Record<string, string> }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th>Bot</th>
            <th>Symbol</th>
            <th className="r">Qty</th>
            <th className="r">Entry</th>
            <th className="r">Mark</th>
            <th className="r">Value</th>
            <th className="r">Unrealized</th>
            <th className="r">Realized</th>
          </tr>
        </thead>
        <tbody>
          {positions.map((pos) => (
            <tr key={`${pos.profileId}-${pos.symbol}`}>
              <td>
                <Link to={`/bots/${pos.profileId}`}>{names[pos.profileId] ?? pos.profileId.slice(0, 8)}</Link>
              </td>
              <td className="mono">{pos.symbol}</td>
              <td className="r">
                <Num value={pos.quantity} />
              </td>
              <td className="r">
                <Num value={pos.avgEntryPrice} digits={2} />
              </td>
              <td className={`r${pos.stale ? ' warn' : ''}`} title={pos.stale ? 'stale mark' : undefined}>
                <Num value={pos.markPrice} digits={2} />
              </td>
              <td className="r">
                <Num value={pos.marketValue} digits={2} />
              </td>
              <td className="r">
                <Num value={pos.unrealizedPnl} digits={2} signed />
              </td>
              <td className="r">
                <Num value={pos.realizedPnl} digits={2} signed />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const open = (positions: ValuedPosition[]) => positions.filter((p) => /[1-9]/.test(p.quantity));
