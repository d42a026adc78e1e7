import type { BacktestSummary } from '@kestrel/contracts';
import { formatNumber } from '../../../lib/format.ts';

/**
 * How far a run is: a progress bar fed by `backtest.progress` over the socket (polled when the
 * socket is down), with the speed and, for a sweep, the combinations done. A completed run shows
 * 100 %; a failed or cancelled one where it stopped.
 */
export function RunProgress({ run }: { run: BacktestSummary }) {
  const percent = run.status === 'completed' ? 100 : Math.round(run.progress.percent * 10) / 10;
  const { barsPerSecond, combinationsDone, combinationsTotal } = run.progress;
  const label = run.kind === 'sweep' ? 'Sweep progress' : 'Backtest progress';
  return (
    <div className="run-progress">
      <div
        className="progress"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${formatNumber(percent, 1)} %, ${run.status}`}
        data-testid="backtest-progress"
        data-status={run.status}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="num">{formatNumber(percent, 1)} %</span>
      {barsPerSecond > 0 && <span className="muted num">{formatNumber(barsPerSecond, 0)} bars/s</span>}
      {combinationsTotal !== undefined && (
        <span className="muted num">
          {combinationsDone ?? 0} / {combinationsTotal} runs
        </span>
      )}
    </div>
  );
}
