import { Link, useNavigate } from 'react-router-dom';
import type { Profile } from '@kestrel/contracts';
import { Num } from '../../../components/ui/num.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { useProfiles } from '../api/get-profiles.ts';
import { BotStatus, botWhy } from './bot-status.tsx';

export interface BotFigures {
  net: string;
  equity: string;
  currency: string;
}

/** Every bot of the tenant: its state and why, and (when given) its P&L; a row opens the bot. */
export function BotsTable({ figures = {} }: { figures?: Record<string, BotFigures> }) {
  const profiles = useProfiles();
  const navigate = useNavigate();
  return (
    <Panel title="Bots" flush testId="bots">
      <QueryState query={profiles} isEmpty={(p) => p.items.length === 0} empty="No bots yet: a trader creates one with POST /api/profiles.">
        {({ items }) => (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>Bot</th>
                  <th>Market</th>
                  <th>Strategy</th>
                  <th>State</th>
                  <th>Why</th>
                  <th className="r">Net P&amp;L</th>
                  <th className="r">Equity</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p: Profile) => (
                  <tr key={p.id} className="clickable" data-testid={`bot-row-${p.id}`} onClick={() => navigate(`/bots/${p.id}`)}>
                    <td>
                      <Link to={`/bots/${p.id}`} onClick={(e) => e.stopPropagation()}>
                        {p.name}
                      </Link>{' '}
                      {p.mode === 'live' && <span className="warn">LIVE</span>}
                    </td>
                    <td className="mono">
                      {p.symbol} <span className="muted">{p.timeframe}</span>
                    </td>
                    <td>{p.strategy}</td>
                    <td>
                      <BotStatus profile={p} />
                    </td>
                    <td className="wrap muted">{botWhy(p)}</td>
                    <td className="r">{figures[p.id] ? <Num value={figures[p.id]!.net} digits={2} signed /> : <span className="muted">—</span>}</td>
                    <td className="r">{figures[p.id] ? <Num value={figures[p.id]!.equity} digits={2} /> : <span className="muted">—</span>}</td>
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
