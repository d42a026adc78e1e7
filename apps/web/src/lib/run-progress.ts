import type { BacktestStatus, BacktestSummary } from '@kestrel/contracts';

const STATUS_ORDER: Record<BacktestStatus, number> = { queued: 0, running: 1, completed: 2, failed: 2, cancelled: 2 };

/**
 * Whether a report of a run's status and progress is older than what is already shown. A run only
 * moves forward (queued → running → finished, the percentage only grows), so an older report is
 * a late one — a socket event overtaken by a REST answer, or the other way round — and is dropped:
 * the progress bar never jumps back.
 */
export function isBehind(shown: Pick<BacktestSummary, 'status' | 'progress'>, report: { status: BacktestStatus; percent: number }): boolean {
  const order = STATUS_ORDER[report.status] - STATUS_ORDER[shown.status];
  return order < 0 || (order === 0 && report.percent < shown.progress.percent);
}
