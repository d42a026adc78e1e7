import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { BacktestSummary } from '@kestrel/contracts';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { BACKTEST_ROLES, useCan } from '../../../lib/kestrel.tsx';
import { useCancelRun } from '../api/cancel-run.ts';
import { isFinished } from '../api/get-run.ts';
import { useDeleteRun } from '../api/delete-run.ts';

/**
 * Cancel (while queued or running) and Delete (asks first: the result is gone for good), for the
 * roles that may run backtests; viewers see neither. After a delete the list opens.
 */
export function RunControls({ run }: { run: BacktestSummary }) {
  const canRun = useCan(...BACKTEST_ROLES);
  const cancel = useCancelRun(run.kind, run.id);
  const remove = useDeleteRun(run.kind, run.id);
  const navigate = useNavigate();
  const [confirmDelete, setConfirmDelete] = useState(false);
  if (!canRun) return null;
  const what = run.kind === 'sweep' ? 'sweep' : 'backtest';
  return (
    <div className="btn-group" role="group" aria-label={`${what} controls`}>
      {!isFinished(run.status) && (
        <Button onClick={() => cancel.mutate()} busy={cancel.isPending}>
          Cancel
        </Button>
      )}
      <Button variant="danger" onClick={() => setConfirmDelete(true)}>
        Delete
      </Button>
      {cancel.isError && (
        <span className="error down" role="alert">
          {cancel.error.message}
        </span>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete this ${what}?`}
        confirmLabel={`Delete the ${what}`}
        busy={remove.isPending}
        error={remove.isError ? remove.error.message : null}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate(run.kind === 'sweep' ? '/backtests/sweeps' : '/backtests') })}
        onCancel={() => {
          setConfirmDelete(false);
          remove.reset();
        }}
      >
        <p style={{ margin: 0 }}>Its stored result is deleted{isFinished(run.status) ? '' : ' and the run is cancelled first'}. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}
