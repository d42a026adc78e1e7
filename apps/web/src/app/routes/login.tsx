import { Navigate, useSearchParams } from 'react-router-dom';
import { LoginForm } from '../../features/auth/components/login-form.tsx';
import { useSession } from '../../lib/kestrel.tsx';

export function LoginRoute() {
  const session = useSession();
  const [params] = useSearchParams();
  const next = params.get('next');
  // Only paths of this app: never an open redirect to another site.
  if (session.status === 'signed-in') return <Navigate to={next?.startsWith('/') && !next.startsWith('//') ? next : '/'} replace />;
  return (
    <main className="login">
      <LoginForm />
    </main>
  );
}
