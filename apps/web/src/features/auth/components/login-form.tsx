import { useState, type FormEvent } from 'react';
import { isApiError } from '@kestrel/api-client';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { useKestrel, useSession } from '../../../lib/kestrel.tsx';

/**
 * Sign-in with username and password (platform-service, through the backend). The tenant field is
 * needed only when one username exists in several tenants; the server says so. After a session
 * ended on its own (e.g. its refresh token was reused elsewhere), the reason is shown here.
 */
export function LoginForm() {
  const { session } = useKestrel();
  const state = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [tenant, setTenant] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.login({ username, password, ...(tenant.trim() ? { tenant: tenant.trim() } : {}) });
    } catch (err) {
      setError(isApiError(err) && err.retryAfterSeconds ? `${err.message} (about ${Math.ceil(err.retryAfterSeconds / 60)} min)` : err instanceof Error ? err.message : 'Sign-in failed.');
    } finally {
      setBusy(false);
    }
  };

  const ended = state.status === 'signed-out' ? state.reason : null;
  return (
    <form className="login-card" onSubmit={submit} aria-label="Sign in">
      <h1>Sign in to Kestrel</h1>
      {ended && !error && (
        <div className="alert alert-warn" role="alert">
          {ended.message}
        </div>
      )}
      <Field label="Username">{(p) => <input {...p} name="username" autoComplete="username" autoFocus required value={username} onChange={(e) => setUsername(e.target.value)} />}</Field>
      <Field label="Password">{(p) => <input {...p} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}</Field>
      <Field label="Tenant" hint="only when asked: the same username exists in several tenants">
        {(p) => <input {...p} name="tenant" autoComplete="organization" value={tenant} onChange={(e) => setTenant(e.target.value)} />}
      </Field>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <Button type="submit" variant="primary" busy={busy} disabled={!username || !password}>
        Sign in
      </Button>
      <p className="muted" style={{ margin: 0 }}>
        Demo logins are printed by <span className="mono">npm start</span> (e.g. trader / kestrel-trader-demo).
      </p>
    </form>
  );
}
