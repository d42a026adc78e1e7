import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { Profile } from '@kestrel/contracts';
import { CandleChart, type ChartMarker } from '../../components/charts/index.tsx';
import { timeframeMs } from '../../components/charts/timeframe.ts';
import { Panel } from '../../components/ui/panel.tsx';
import { QueryState } from '../../components/ui/states.tsx';
import { stepDigits } from '../../lib/format.ts';
import { useCandles } from '../../features/market/api/get-candles.ts';
import { useSymbols } from '../../features/market/api/get-symbols.ts';
import { useOrders } from '../../features/orders/api/get-orders.ts';
import { OrdersTable } from '../../features/orders/components/orders-table.tsx';
import { ProfilePnl } from '../../features/pnl/components/profile-pnl.tsx';
import { useProfile } from '../../features/profiles/api/get-profile.ts';
import { BotControls } from '../../features/profiles/components/bot-controls.tsx';
import { BotStatus, botWhy } from '../../features/profiles/components/bot-status.tsx';
import { ConfigEditor } from '../../features/profiles/components/config-editor.tsx';
import { DecisionsLog } from '../../features/profiles/components/decisions-log.tsx';

/** One bot: its chart with fills, P&L and position, orders, decisions, controls and configuration. */
export default function BotRoute() {
  const { profileId = '' } = useParams();
  const profile = useProfile(profileId);
  return (
    <QueryState query={profile}>
      {(p) => (
        <>
          <div className="page-header">
            <Link to="/">Overview</Link>
            <span className="muted">/</span>
            <h1>{p.name}</h1>
            <BotStatus profile={p} />
            <span className="muted">{botWhy(p)}</span>
            <span className="spacer" />
            <BotControls profile={p} />
          </div>
          <div className="grid">
            <div className="span-8 stack">
              <BotChart profile={p} />
            </div>
            <div className="span-4 stack">
              <ProfilePnl profileId={p.id} />
            </div>
            <div className="span-12">
              <Panel title="Orders" flush testId="bot-orders">
                <OrdersTable query={{ profileId: p.id }} pageSize={20} showProfile={false} />
              </Panel>
            </div>
            <div className="span-7">
              <DecisionsLog profileId={p.id} />
            </div>
            <div className="span-5">
              <ConfigEditor profile={p} />
            </div>
          </div>
        </>
      )}
    </QueryState>
  );
}

/** The bot's market at the feed's bar size, with a marker for each of its orders that filled. */
function BotChart({ profile }: { profile: Profile }) {
  const symbols = useSymbols();
  const info = symbols.data?.items.find((s) => s.symbol === profile.symbol);
  const candles = useCandles(info?.symbol, info?.timeframe);
  const orders = useOrders({ profileId: profile.id, limit: 200 });
  const barMs = timeframeMs(info?.timeframe ?? '1m');
  const markers = useMemo<ChartMarker[]>(
    () =>
      (orders.data?.items ?? [])
        .filter((o) => /[1-9]/.test(o.filledQty))
        .map((o) => ({ time: Math.floor(Date.parse(o.updatedAt) / barMs) * barMs, side: o.side, text: o.side === 'buy' ? 'B' : 'S' })),
    [orders.data, barMs],
  );
  return (
    <Panel title={`${profile.symbol} · ${info?.timeframe ?? ''} bars · fills`} testId="bot-chart">
      <QueryState query={candles} isEmpty={(c) => c.items.length === 0} empty="No bars yet: the market feed has not closed a bar.">
        {(c) => <CandleChart candles={c.items} markers={markers} digits={stepDigits(info?.tickSize) ?? 2} label={`${profile.symbol} candles with ${profile.name}'s fills`} />}
      </QueryState>
    </Panel>
  );
}
