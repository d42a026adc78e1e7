import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import type { Role } from '@kestrel/contracts';
import { Loading } from '../components/ui/states.tsx';
import { useRoles, useSession } from '../lib/kestrel.tsx';

/** Pages behind sign-in: while the session is being resumed, a spinner; signed out, the login page (then back here). */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'unknown') return <Loading label="Resuming your session…" />;
  if (session.status === 'signed-out') return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

/** Pages for some roles only: others get a plain refusal (the API would refuse them too). */
export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const mine = useRoles();
  if (!roles.some((r) => mine.includes(r))) {
    return (
      <div className="state" role="alert">
        This page needs one of the roles: {roles.join(', ')}.
      </div>
    );
  }
  return <>{children}</>;
}
