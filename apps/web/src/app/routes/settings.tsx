import { useQuery } from '@tanstack/react-query';
import { Panel } from '../../components/ui/panel.tsx';
import { QueryState } from '../../components/ui/states.tsx';
import { PreferencesForm } from '../../features/settings/components/preferences-form.tsx';
import { useApi, useSession } from '../../lib/kestrel.tsx';
import { preferencesQuery } from '../../lib/preferences.ts';

export default function SettingsRoute() {
  const prefs = useQuery(preferencesQuery(useApi()));
  const session = useSession();
  return (
    <>
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <div className="grid">
        <div className="span-8">
          <Panel title="Preferences">
            <QueryState query={prefs}>{(p) => <PreferencesForm preferences={p} />}</QueryState>
          </Panel>
        </div>
        <div className="span-4">
          <Panel title="Account">
            {session.status === 'signed-in' && (
              <dl className="kv">
                <dt>User</dt>
                <dd>{session.user.username}</dd>
                <dt>Roles</dt>
                <dd>{session.user.roles.join(', ')}</dd>
                <dt>Tenant</dt>
                <dd className="mono">{session.user.tenantId}</dd>
                <dt>Session</dt>
                <dd className="muted">renewed automatically; the refresh token never reaches this page (HttpOnly cookie)</dd>
              </dl>
            )}
          </Panel>
        </div>
      </div>
    </>
  );
}
