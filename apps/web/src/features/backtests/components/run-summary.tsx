import type { BacktestStatus, BacktestSummary } from '@kestrel/contracts';
import { Badge, type Tone } from '../../../components/ui/badge.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import type { RunKind } from '../../../lib/query-keys.ts';

const TONES: Record<BacktestStatus, Tone> = { queued: 'neutral', running: 'accent', completed: 'up', failed: 'down', cancelled: 'warn' };

/** A run's status as a badge; `testId` marks the one a page is about (e2e tests read it). */
export function RunStatus({ status, testId }: { status: BacktestStatus; testId?: string }) {
  return (
    <span data-testid={testId} data-status={status}>
      <Badge tone={TONES[status]}>{status}</Badge>
    </span>
  );
}

/** Where a run's page is. */
export const runPath = (kind: RunKind, id: string) => (kind === 'backtest' ? `/backtests/${id}` : `/backtests/sweeps/${id}`);

/** `fast 10 · slow 30`: parameters as a short text. */
export const paramsText = (params: Record<string, unknown>) =>
  Object.entries(params)
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');

/** The run's name, else its strategy and parameters (a sweep's parameters are only those it does not vary: not a title). */
export const runTitle = (run: Pick<BacktestSummary, 'name' | 'strategy' | 'params'> & { kind?: BacktestSummary['kind'] }) =>
  run.name ?? (run.kind === 'sweep' ? `${run.strategy} sweep` : `${run.strategy} ${paramsText(run.params)}`.trim());

/** `2023-01-05 00:00:00 → end`: the requested range (open ends are the stored data's). */
export const rangeText = (from: number | null, to: number | null, timeZone?: string) => `${from === null ? 'first stored bar' : formatDateTime(from, timeZone)} → ${to === null ? 'last stored bar' : formatDateTime(to, timeZone)}`;
