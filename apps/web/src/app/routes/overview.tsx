import { useMemo } from 'react';
import { KillSwitchPanel } from '../../features/trading-control/components/kill-switch.tsx';
import { useSymbols } from '../../features/market/api/get-symbols.ts';
import { TickerCard } from '../../features/market/components/ticker-card.tsx';
import { useTenantPnl } from '../../features/pnl/api/get-pnl.ts';
import { EquitySummary } from '../../features/pnl/components/equity-summary.tsx';
import { OpenPositions } from '../../features/pnl/components/positions-table.tsx';
import { useProfiles } from '../../features/profiles/api/get-profiles.ts';
import { BotsTable, type BotFigures } from '../../features/profiles/components/bots-table.tsx';

/** Equity and today's P&L, every bot with its state and why, open positions, live prices and the kill switch. */
export default function OverviewRoute() {
  const pnl = useTenantPnl();
  const profiles = useProfiles();
  const symbols = useSymbols();
  const figures = useMemo(
    () => Object.fromEntries((pnl.data?.profiles ?? []).map((p) => [p.profileId, { net: p.net, equity: p.equity, currency: p.currency } satisfies BotFigures])),
    [pnl.data],
  );
  const names = useMemo(() => Object.fromEntries((profiles.data?.items ?? []).map((p) => [p.id, p.name])), [profiles.data]);
  return (
    <>
      <div className="page-header">
        <h1>Overview</h1>
      </div>
      <div className="grid">
        <div className="span-8 stack">
          <EquitySummary />
          <BotsTable figures={figures} />
          <OpenPositions names={names} />
        </div>
        <div className="span-4 stack">
          {(symbols.data?.items ?? []).map((s) => (
            <TickerCard key={s.symbol} symbol={s.symbol} />
          ))}
          <KillSwitchPanel />
        </div>
      </div>
    </>
  );
}
