import { NavLink, Outlet, useParams } from 'react-router-dom';
import { AccountsPanel } from '../../features/admin/components/accounts-panel.tsx';
import { AuditLog } from '../../features/admin/components/audit-log.tsx';
import { ReconciliationRunDetail, ReconciliationRuns } from '../../features/admin/components/reconciliation-runs.tsx';
import { UsersPanel } from '../../features/admin/components/users-panel.tsx';

/** Admin pages (admins and operators; loaded on demand): users, exchange accounts, audit log, reconciliation. */
export default function AdminLayout() {
  return (
    <>
      <div className="page-header">
        <h1>Admin</h1>
      </div>
      <nav className="tabs" aria-label="Admin sections">
        <NavLink to="/admin/users">Users and roles</NavLink>
        <NavLink to="/admin/accounts">Exchange accounts</NavLink>
        <NavLink to="/admin/audit">Audit log</NavLink>
        <NavLink to="/admin/reconciliation">Reconciliation</NavLink>
      </nav>
      <Outlet />
    </>
  );
}

export const UsersRoute = UsersPanel;
export const AccountsRoute = AccountsPanel;
export const AuditRoute = AuditLog;
export const ReconciliationRoute = ReconciliationRuns;
export function ReconciliationRunRoute() {
  const { runId = '' } = useParams();
  return <ReconciliationRunDetail runId={runId} />;
}
