import { useState } from 'react';
import type { ProfileAction } from '@kestrel/api-client';
import type { Profile } from '@kestrel/contracts';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { TRADING_ROLES, useCan } from '../../../lib/kestrel.tsx';
import { useProfileAction } from '../api/profile-action.ts';

/**
 * Start, pause and stop, offered only where the state machine allows them and only to roles that
 * may trade (viewers see none). Stopping cancels open orders, so it asks first.
 */
export function BotControls({ profile }: { profile: Profile }) {
  const canTrade = useCan(...TRADING_ROLES);
  const action = useProfileAction(profile.id);
  const [confirmStop, setConfirmStop] = useState(false);
  if (!canTrade) return null;
  const run = (a: ProfileAction) => action.mutate(a, { onSuccess: () => setConfirmStop(false) });
  const busy = (a: ProfileAction) => action.isPending && action.variables === a;
  return (
    <div className="btn-group" role="group" aria-label="Bot controls">
      {profile.status !== 'running' && (
        <Button variant="success" onClick={() => run('start')} busy={busy('start')}>
          Start
        </Button>
      )}
      {profile.status === 'running' && (
        <Button onClick={() => run('pause')} busy={busy('pause')}>
          Pause
        </Button>
      )}
      {profile.status !== 'stopped' && (
        <Button variant="danger" onClick={() => setConfirmStop(true)}>
          Stop
        </Button>
      )}
      {action.isError && !confirmStop && (
        <span className="error down" role="alert">
          {action.error.message}
        </span>
      )}
      <ConfirmDialog
        open={confirmStop}
        title={`Stop ${profile.name}?`}
        confirmLabel="Stop the bot"
        busy={busy('stop')}
        error={action.isError ? action.error.message : null}
        onConfirm={() => run('stop')}
        onCancel={() => {
          setConfirmStop(false);
          action.reset();
        }}
      >
        <p style={{ margin: 0 }}>The trading loop ends and every open order of this bot is cancelled at the exchange. Its position stays as it is.</p>
      </ConfirmDialog>
    </div>
  );
}
