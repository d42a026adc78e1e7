import { useState, type FormEvent } from 'react';
import { isApiError } from '@kestrel/api-client';
import { Badge } from '../../../components/ui/badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';
import { useStartReconciliation } from '../api/reconciliation.ts';
import { useCreateExchangeAccount, useExchangeAccounts } from '../api/exchange-accounts.ts';
import { FormFooter } from '../../../components/ui/form-footer.tsx';

/**
 * Exchange accounts. Keys and secrets are write-only: the server stores them encrypted and returns
 * at most the key's last four characters, shown masked here; the secret only as "stored".
 */
export function AccountsPanel() {
  const accounts = useExchangeAccounts();
  const reconcile = useStartReconciliation();
  const { timezone } = usePreferences();
  return (
    <div className="stack">
      <Panel title="Exchange accounts" flush testId="accounts">
        <QueryState query={accounts} isEmpty={(a) => a.items.length === 0} empty="No exchange accounts.">
          {({ items }) => (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Kind</th>
                    <th>Venue</th>
                    <th>API key</th>
                    <th>Secret</th>
                    <th>Status</th>
                    <th>Created</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {items.map((a) => (
                    <tr key={a.id}>
                      <td>{a.name}</td>
                      <td>{a.kind === 'live' ? <Badge tone="warn">live</Badge> : <Badge>paper</Badge>}</td>
                      <td className="mono">{a.venue}</td>
                      <td className="mono" data-testid="api-key">
                        {a.apiKeyLast4 ? `••••••••${a.apiKeyLast4}` : <span className="muted">—</span>}
                      </td>
                      <td className="muted">{a.hasApiSecret ? 'stored (hidden)' : '—'}</td>
                      <td>{a.status}</td>
                      <td className="num">{formatDateTime(a.createdAt, timezone)}</td>
                      <td className="r">
                        <Button variant="ghost" busy={reconcile.isPending && reconcile.variables === a.id} onClick={() => reconcile.mutate(a.id)}>
                          Reconcile now
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
        {reconcile.isSuccess && (
          <div className="alert" role="status">
            Reconciliation {reconcile.data.status}: {reconcile.data.discrepancyCount} discrepanc{reconcile.data.discrepancyCount === 1 ? 'y' : 'ies'}. See Reconciliation.
          </div>
        )}
        {reconcile.isError && (
          <div className="alert alert-error" role="alert">
            {reconcile.error.message}
          </div>
        )}
      </Panel>
      <Panel title="Add an account">
        <CreateAccountForm />
      </Panel>
    </div>
  );
}

function CreateAccountForm() {
  const create = useCreateExchangeAccount();
  const [form, setForm] = useState({ name: '', kind: 'paper' as 'paper' | 'live', venue: 'binance', apiKey: '', apiSecret: '' });
  const issues = isApiError(create.error) ? create.error.fieldIssues() : [];
  const errorFor = (path: string) => issues.find((i) => i.path === path)?.message;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      form.kind === 'paper' ? { name: form.name, kind: 'paper', venue: 'paper' } : { name: form.name, kind: 'live', venue: form.venue, apiKey: form.apiKey, apiSecret: form.apiSecret },
      // Secrets leave the page's memory as soon as the server has them.
      { onSuccess: () => setForm({ name: '', kind: 'paper', venue: 'binance', apiKey: '', apiSecret: '' }) },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Add an exchange account">
      <div className="form-grid">
        <Field label="Name" error={errorFor('/name')}>{(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}</Field>
        <Field label="Kind">
          {(p) => (
            <select {...p} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as 'paper' | 'live' })}>
              <option value="paper">paper (simulated)</option>
              <option value="live">live (admins)</option>
            </select>
          )}
        </Field>
        {form.kind === 'live' && (
          <>
            <Field label="Venue" hint="a ccxt exchange id" error={errorFor('/venue')}>{(p) => <input {...p} value={form.venue} onChange={(e) => setForm({ ...form, venue: e.target.value })} />}</Field>
            <Field label="API key" error={errorFor('/apiKey')}>{(p) => <input {...p} type="password" autoComplete="off" value={form.apiKey} onChange={(e) => setForm({ ...form, apiKey: e.target.value })} />}</Field>
            <Field label="API secret" error={errorFor('/apiSecret')}>{(p) => <input {...p} type="password" autoComplete="off" value={form.apiSecret} onChange={(e) => setForm({ ...form, apiSecret: e.target.value })} />}</Field>
          </>
        )}
      </div>
      <FormFooter error={create.isError && issues.length === 0 ? create.error.message : null} busy={create.isPending} submitLabel="Add account" success={create.isSuccess && `Added ${create.data.name}.`} />
    </form>
  );
}
