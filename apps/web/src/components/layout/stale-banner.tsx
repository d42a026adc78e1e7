import { env } from '../../config/env.ts';
import { formatAge } from '../../lib/format.ts';
import { useConnection, useTickAge } from '../../lib/realtime/realtime-provider.tsx';

/**
 * Says so when live data stops: the socket is down (and for how long), or it is connected but the
 * market feed has not ticked for a while — numbers on screen may then be out of date.
 */
export function StaleBanner({ symbol }: { symbol: string | undefined }) {
  const conn = useConnection();
  const tickAge = useTickAge(symbol);
  const now = Date.now();
  if (conn.status === 'refused' || conn.status === 'closed') {
    return (
      <div className="banner banner-down" role="alert" data-testid="stale-banner">
        Live updates are off: {conn.error?.message ?? 'the connection was closed.'} Reload the page or sign in again.
      </div>
    );
  }
  if ((conn.status === 'reconnecting' || conn.status === 'connecting') && now - conn.since > 3_000) {
    return (
      <div className="banner banner-warn" role="status" data-testid="stale-banner">
        Live updates interrupted {formatAge(now - conn.since)} ago ({conn.error?.message ?? 'reconnecting'}). Data on screen may be out of date; it refreshes as soon as the connection is back.
      </div>
    );
  }
  if (conn.status === 'connected' && symbol && tickAge !== null && tickAge > env.staleAfterMs) {
    return (
      <div className="banner banner-warn" role="status" data-testid="stale-banner">
        No price from the market feed for {formatAge(tickAge)} ({symbol}): prices and P&amp;L may be stale. Check the backend log and docs/TROUBLESHOOTING_GUIDE.md (data not updating).
      </div>
    );
  }
  return null;
}
