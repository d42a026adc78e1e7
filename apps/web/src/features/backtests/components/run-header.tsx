import type { BacktestSummary } from '@kestrel/contracts';
import { formatDateTime } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';
import { RunControls } from './run-controls.tsx';
import { RunProgress } from './run-progress.tsx';
import { rangeText, RunStatus, runTitle } from './run-summary.tsx';

/** The top of a run's page: what it runs, its status and progress, why it failed, and its controls. */
export function RunHeader({ run }: { run: BacktestSummary }) {
  const { timezone } = usePreferences();
  return (
    <div className="stack">
      <div className="page-header">
        <h2 className="run-title">{runTitle(run)}</h2>
        <RunStatus status={run.status} testId="backtest-status" />
        <span className="muted">
          <span className="mono">{run.symbols.join(', ')}</span> · {run.timeframe} · {rangeText(run.from, run.to, timezone)} · by {run.createdBy} at {formatDateTime(run.createdAt, timezone)}
        </span>
        <span className="spacer" />
        <RunControls run={run} />
      </div>
      <RunProgress run={run} />
      {run.error && (
        <div className="alert alert-error" role="alert">
          <span className="mono">{run.error.code}</span>: {run.error.message}
        </div>
      )}
    </div>
  );
}
