import { lazy } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router-dom';
import { ADMIN_ROLES } from '../lib/kestrel.tsx';
import { AppShell } from './layout/app-shell.tsx';
import { RequireAuth, RequireRole } from './require-auth.tsx';
import { LoginRoute } from './routes/login.tsx';
import { ComingRoute, NotFoundRoute } from './routes/placeholders.tsx';

// Pages load on demand: the charting library and the admin pages stay out of the first download
// (scripts/check-bundle.mjs keeps the initial JavaScript under its budget).
const OverviewRoute = lazy(() => import('./routes/overview.tsx'));
const BotRoute = lazy(() => import('./routes/bot.tsx'));
const OrdersRoute = lazy(() => import('./routes/orders.tsx'));
const OrderRoute = lazy(() => import('./routes/order.tsx'));
const MarketRoute = lazy(() => import('./routes/market.tsx'));
const SettingsRoute = lazy(() => import('./routes/settings.tsx'));
const admin = () => import('./routes/admin.tsx');
const AdminLayout = lazy(admin);
const UsersRoute = lazy(() => admin().then((m) => ({ default: m.UsersRoute })));
const AccountsRoute = lazy(() => admin().then((m) => ({ default: m.AccountsRoute })));
const AuditRoute = lazy(() => admin().then((m) => ({ default: m.AuditRoute })));
const ReconciliationRoute = lazy(() => admin().then((m) => ({ default: m.ReconciliationRoute })));
const ReconciliationRunRoute = lazy(() => admin().then((m) => ({ default: m.ReconciliationRunRoute })));

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginRoute /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <OverviewRoute /> },
      { path: 'bots/:profileId', element: <BotRoute /> },
      { path: 'orders', element: <OrdersRoute /> },
      { path: 'orders/:orderId', element: <OrderRoute /> },
      { path: 'market', element: <MarketRoute /> },
      { path: 'backtests', element: <ComingRoute title="Backtests" what="Run a strategy over historical candles with the same form as a bot, watch its progress, compare results and sweep parameters." /> },
      { path: 'research', element: <ComingRoute title="Research" what="Indicator overlays, return and risk statistics, a correlation heatmap and seasonality charts." /> },
      {
        path: 'admin',
        element: (
          <RequireRole roles={ADMIN_ROLES}>
            <AdminLayout />
          </RequireRole>
        ),
        children: [
          { index: true, element: <Navigate to="users" replace /> },
          { path: 'users', element: <UsersRoute /> },
          { path: 'accounts', element: <AccountsRoute /> },
          { path: 'audit', element: <AuditRoute /> },
          { path: 'reconciliation', element: <ReconciliationRoute /> },
          { path: 'reconciliation/:runId', element: <ReconciliationRunRoute /> },
        ],
      },
      { path: 'settings', element: <SettingsRoute /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
