import { useState } from 'react';
import type { TradingControl } from '@kestrel/contracts';
import { Badge } from '../../../components/ui/badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useCan } from '../../../lib/kestrel.tsx';
import { usePreferences } from '../../../lib/preferences.ts';
import { useTradingControl } from '../api/get-trading-control.ts';
import { useUpdateTradingControl } from '../api/update-trading-control.ts';

type Scope = 'tenant' | 'global';
const MAX_REASON = 500;

/**
 * The tenant kill switch (admins) and the global one (operators). Halting always goes through a
 * confirmation that asks for the reason the audit log will keep; everyone sees the state and why.
 */
export function KillSwitchPanel() {
  const control = useTradingControl();
  const canTenant = useCan('admin', 'operator');
  const canGlobal = useCan('operator');
  return (
    <Panel title="Kill switch" testId="kill-switch">
      <QueryState query={control}>
        {(c) => (
          <div className="stack">
            <SwitchRow scope="tenant" label="This tenant" state={c.tenant} canChange={canTenant} />
            <SwitchRow scope="global" label="Whole platform" state={c.global} canChange={canGlobal} />
            {!c.effectiveTradingEnabled && <div className="muted">No bot trades while a switch is off. Bots halted by it stay halted after it is turned back on: start each one.</div>}
          </div>
        )}
      </QueryState>
    </Panel>
  );
}

function SwitchRow({ scope, label, state, canChange }: { scope: Scope; label: string; state: TradingControl['global']; canChange: boolean }) {
  const [asking, setAsking] = useState<'halt' | 'resume' | null>(null);
  const [reason, setReason] = useState('');
  const update = useUpdateTradingControl();
  const { timezone, confirmKillSwitch } = usePreferences();
  const close = () => {
    setAsking(null);
    setReason('');
    update.reset();
  };
  const submit = (tradingEnabled: boolean) =>
    update.mutate({ scope, tradingEnabled, ...(tradingEnabled ? {} : { killSwitchReason: reason.trim() }) }, { onSuccess: close });
  const resume = () => (confirmKillSwitch ? setAsking('resume') : submit(true));

  return (
    <div className="stack" data-testid={`switch-${scope}`}>
      <div className="page-header" style={{ margin: 0 }}>
        <strong>{label}</strong>
        {state.tradingEnabled ? <Badge tone="up">Trading on</Badge> : <Badge tone="down">Halted</Badge>}
        <span className="spacer" />
        {canChange &&
          (state.tradingEnabled ? (
            <Button variant="danger" onClick={() => setAsking('halt')}>
              {scope === 'global' ? 'Halt all tenants' : 'Halt trading'}
            </Button>
          ) : (
            <Button variant="success" onClick={resume} busy={update.isPending && asking === null}>
              Resume trading
            </Button>
          ))}
      </div>
      {!state.tradingEnabled && (
        <div className="muted">
          “{state.killSwitchReason}” — {state.updatedBy ?? 'unknown'}, {formatDateTime(state.updatedAt, timezone)}
        </div>
      )}
      {update.isError && asking === null && (
        <div className="alert alert-error" role="alert">
          {update.error.message}
        </div>
      )}

      <ConfirmDialog
        open={asking === 'halt'}
        title={scope === 'global' ? 'Halt trading on the whole platform?' : 'Halt trading for this tenant?'}
        confirmLabel={scope === 'global' ? 'Halt all tenants' : 'Halt trading'}
        busy={update.isPending}
        confirmDisabled={reason.trim().length === 0}
        error={update.isError ? update.error.message : null}
        onConfirm={() => submit(false)}
        onCancel={close}
      >
        <p style={{ margin: 0 }}>
          Every running or paused bot {scope === 'global' ? 'of every tenant ' : ''}becomes <strong>halted</strong>, nothing more is sent to any exchange, and open orders are cancelled.
          Bots stay halted until someone starts them again.
        </p>
        <Field label="Reason (kept in the audit log)" hint={`${reason.length}/${MAX_REASON}`}>
          {(props) => <input {...props} value={reason} maxLength={MAX_REASON} required autoFocus onChange={(e) => setReason(e.target.value)} placeholder="e.g. exchange maintenance" />}
        </Field>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === 'resume'}
        title={scope === 'global' ? 'Resume trading on the whole platform?' : 'Resume trading for this tenant?'}
        confirmLabel="Resume trading"
        tone="success"
        busy={update.isPending}
        error={update.isError ? update.error.message : null}
        onConfirm={() => submit(true)}
        onCancel={close}
      >
        <p style={{ margin: 0 }}>New orders are allowed again. Halted bots stay halted: start each one from its page.</p>
      </ConfirmDialog>
    </div>
  );
}
