import { lazy } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router-dom';
import { ADMIN_ROLES } from '../lib/kestrel.tsx';
import { AppShell } from './layout/app-shell.tsx';
import { RequireAuth, RequireRole } from './require-auth.tsx';
import { LoginRoute } from './routes/login.tsx';
import { NotFoundRoute } from './routes/placeholders.tsx';

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
const backtests = () => import('./routes/backtests.tsx');
const BacktestsLayout = lazy(backtests);
const BacktestsRoute = lazy(() => backtests().then((m) => ({ default: m.BacktestsRoute })));
const SweepsRoute = lazy(() => backtests().then((m) => ({ default: m.SweepsRoute })));
const CompareRoute = lazy(() => backtests().then((m) => ({ default: m.CompareRoute })));
const backtestRun = () => import('./routes/backtest-run.tsx');
const BacktestRunRoute = lazy(() => backtestRun().then((m) => ({ default: m.BacktestRunRoute })));
const SweepRunRoute = lazy(() => backtestRun().then((m) => ({ default: m.SweepRunRoute })));
const ResearchRoute = lazy(() => import('./routes/research.tsx'));

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
      {
        path: 'backtests',
        element: <BacktestsLayout />,
        children: [
          { index: true, element: <BacktestsRoute /> },
          { path: 'compare', element: <CompareRoute /> },
          { path: 'sweeps', element: <SweepsRoute /> },
          { path: 'sweeps/:runId', element: <SweepRunRoute /> },
          { path: ':runId', element: <BacktestRunRoute /> },
        ],
      },
      { path: 'research', element: <ResearchRoute /> },
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
