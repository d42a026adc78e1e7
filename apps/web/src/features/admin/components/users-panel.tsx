import { useState, type FormEvent } from 'react';
import { isApiError } from '@kestrel/api-client';
import type { Role, User } from '@kestrel/contracts';
import { Badge } from '../../../components/ui/badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useCan } from '../../../lib/kestrel.tsx';
import { usePreferences } from '../../../lib/preferences.ts';
import { useCreateUser, useUpdateUser, useUsers } from '../api/users.ts';
import { FormFooter } from '../../../components/ui/form-footer.tsx';

const TENANT_ROLES: Role[] = ['viewer', 'trader', 'admin'];

/** Users of the tenant and their roles: change a role, disable or enable an account, add a user. */
export function UsersPanel() {
  const users = useUsers();
  const update = useUpdateUser();
  const isOperator = useCan('operator');
  const { timezone } = usePreferences();
  const roles = isOperator ? [...TENANT_ROLES, 'operator' as const] : TENANT_ROLES;
  return (
    <div className="stack">
      <Panel title="Users and roles" flush testId="users">
        <QueryState query={users} isEmpty={(u) => u.items.length === 0} empty="No users.">
          {({ items }) => (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th>Username</th>
                    <th>Name</th>
                    <th>Role</th>
                    <th>Status</th>
                    <th>Created</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {items.map((u: User) => {
                    // An admin may not change an operator's account (the server refuses it too).
                    const locked = u.roles.includes('operator') && !isOperator;
                    return (
                      <tr key={u.id}>
                        <td className="mono">{u.username}</td>
                        <td>{u.displayName}</td>
                        <td>
                          <select aria-label={`Role of ${u.username}`} value={u.roles[0]} disabled={locked || update.isPending} onChange={(e) => update.mutate({ id: u.id, body: { roles: [e.target.value as Role] } })}>
                            {(locked ? ['operator' as const] : roles).map((r) => (
                              <option key={r}>{r}</option>
                            ))}
                          </select>
                        </td>
                        <td>{u.status === 'active' ? <Badge tone="up">active</Badge> : <Badge tone="down">disabled</Badge>}</td>
                        <td className="num">{formatDateTime(u.createdAt, timezone)}</td>
                        <td className="r">
                          {!locked && (
                            <Button variant="ghost" onClick={() => update.mutate({ id: u.id, body: { status: u.status === 'active' ? 'disabled' : 'active' } })}>
                              {u.status === 'active' ? 'Disable' : 'Enable'}
                            </Button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
        {update.isError && (
          <div className="alert alert-error" role="alert">
            {update.error.message}
          </div>
        )}
      </Panel>
      <Panel title="Add a user">
        <CreateUserForm roles={roles} />
      </Panel>
    </div>
  );
}

function CreateUserForm({ roles }: { roles: Role[] }) {
  const create = useCreateUser();
  const [form, setForm] = useState({ username: '', password: '', displayName: '', role: 'viewer' as Role });
  const issues = isApiError(create.error) ? create.error.fieldIssues() : [];
  const errorFor = (path: string) => issues.find((i) => i.path === path)?.message;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { username: form.username, password: form.password, roles: [form.role], ...(form.displayName ? { displayName: form.displayName } : {}) },
      { onSuccess: () => setForm({ username: '', password: '', displayName: '', role: 'viewer' }) },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Add a user">
      <div className="form-grid">
        <Field label="Username" hint="3–64 of a-z 0-9 . _ @ -" error={errorFor('/username')}>
          {(p) => <input {...p} autoComplete="off" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />}
        </Field>
        <Field label="Password" hint="at least 10 characters" error={errorFor('/password')}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />}
        </Field>
        <Field label="Display name" error={errorFor('/displayName')}>
          {(p) => <input {...p} value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />}
        </Field>
        <Field label="Role">
          {(p) => (
            <select {...p} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              {roles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <FormFooter error={create.isError && issues.length === 0 ? create.error.message : null} busy={create.isPending} submitLabel="Add user" success={create.isSuccess && `Added ${create.data.username}.`} />
    </form>
  );
}
