import { Suspense } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { ConnectionIndicator } from '../../components/layout/connection-indicator.tsx';
import { StaleBanner } from '../../components/layout/stale-banner.tsx';
import { Button } from '../../components/ui/button.tsx';
import { ErrorBoundary } from '../../components/ui/error-boundary.tsx';
import { Loading } from '../../components/ui/states.tsx';
import { useSymbols } from '../../features/market/api/get-symbols.ts';
import { TickerStrip } from '../../features/market/components/ticker-strip.tsx';
import { ADMIN_ROLES, useCan, useKestrel, useSession } from '../../lib/kestrel.tsx';

const NAV = [
  { to: '/', label: 'Overview', end: true },
  { to: '/orders', label: 'Orders' },
  { to: '/market', label: 'Market' },
  { to: '/backtests', label: 'Backtests' },
  { to: '/research', label: 'Research' },
];

/**
 * The frame of every signed-in page: brand, navigation, live prices, the connection indicator and
 * the user; under it the stale-data banner when live data stops; then the page, which loads on
 * demand and fails on its own without taking the frame down.
 */
export function AppShell() {
  const isAdmin = useCan(...ADMIN_ROLES);
  const location = useLocation();
  const symbols = useSymbols();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-label="Kestrel">
          <svg viewBox="0 0 32 32" aria-hidden="true">
            <path d="M3 22 L11 10 L17 17 L23 7 L29 13" fill="none" stroke="var(--up)" strokeWidth="3.2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          KESTREL
        </span>
        <nav className="nav" aria-label="Main">
          {[...NAV, ...(isAdmin ? [{ to: '/admin', label: 'Admin' }] : []), { to: '/settings', label: 'Settings' }].map((n) => (
            <NavLink key={n.to} to={n.to} end={'end' in n ? n.end : false}>
              {n.label}
            </NavLink>
          ))}
        </nav>
        <span className="topbar-spacer" />
        <TickerStrip />
        <ConnectionIndicator />
        <UserMenu />
      </header>
      <StaleBanner symbol={symbols.data?.items[0]?.symbol} />
      <main id="main" className="main" tabIndex={-1}>
        <ErrorBoundary label="This page" resetKey={location.pathname}>
          <Suspense fallback={<Loading label="Loading page…" />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}

function UserMenu() {
  const { session } = useKestrel();
  const state = useSession();
  if (state.status !== 'signed-in') return null;
  return (
    <div className="user-menu">
      <span data-testid="current-user">
        {state.user.username} <span className="muted">· {state.user.roles.join(', ')}</span>
      </span>
      <Button variant="ghost" onClick={() => void session.logout()}>
        Sign out
      </Button>
    </div>
  );
}
