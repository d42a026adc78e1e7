import { randomUUID } from 'node:crypto';
import {
  AppError,
  rooms,
  type BacktestDetail,
  type BacktestFinishedEvent,
  type BacktestMetricsView,
  type BacktestProgressEvent,
  type BacktestProgressView,
  type BacktestStatus,
  type BacktestSummary,
  type CreateBacktestRequest,
  type CreateSweepRequest,
  type SweepDetail,
} from '@kestrel/contracts';
import type { Logger } from '@kestrel/server-kit';
import type { RealtimeHub } from '../realtime/hub.ts';
import type { ActorContext } from '../services/context.ts';
import { BacktestQueue } from './backtest-queue.ts';
import type { Job, JobOutcome, RunError, RunSink } from './jobs.ts';
import { type RunDeps, resolveBacktest, resolveSweep } from './run-config.ts';
import { RunStore, type RunKind, type RunSummaryRow } from './run-store.ts';
import { backtestDetailOf, summaryOf, sweepDetailOf } from './run-views.ts';
import { WorkerPool } from './worker-pool.ts';

const LABEL: Record<RunKind, { one: string; list: string }> = {
  backtest: { one: 'backtest', list: 'GET /api/backtests' },
  sweep: { one: 'sweep', list: 'GET /api/sweeps' },
};
const INTERRUPTED: RunError = { code: 'BACKTEST_INTERRUPTED', message: 'The backend restarted while this run was queued or running: submit it again.' };

/**
 * Backtests and sweeps of a tenant: submission (checked and resolved at once, run later by the
 * queue), reading, comparing, cancelling and deleting. The queue's reports land here: each is
 * stored (conditionally on the run's status) and then pushed to the tenant's room on /trading as
 * `backtest.progress` and `backtest.finished`.
 *
 * Runs are held in memory by the instance that accepted them (`runner`). A run left queued or
 * running by a stopped instance is failed at its next start-up (`recover`), not re-queued: a run
 * that crashed the process would crash it again on every restart, and a user who still wants it
 * resubmits it in one click.
 */
export class BacktestService {
  readonly queue: BacktestQueue;
  readonly #store: RunStore;

  constructor(
    private readonly deps: RunDeps & { hub: RealtimeHub; logger: Logger; workers: number; runner: string },
  ) {
    this.#store = new RunStore(deps.database);
    this.queue = new BacktestQueue(new WorkerPool(deps.workers), this.#sink(), deps.logger);
  }

  /** Start-up: fails the runs this instance left unfinished. Returns how many. */
  async recover(): Promise<number> {
    const rows = await this.#store.failLeftovers(this.deps.runner, INTERRUPTED);
    for (const r of rows) this.#finished(r);
    if (rows.length > 0) this.deps.logger.warn({ runs: rows.map((r) => r.id) }, `${rows.length} backtest run(s) left unfinished by the last stop were marked failed (${INTERRUPTED.code})`);
    return rows.length;
  }

  async submitBacktest(actor: ActorContext, body: CreateBacktestRequest): Promise<BacktestSummary> {
    this.queue.admit(actor.tenantId);
    const r = await resolveBacktest(this.deps, actor, body);
    const row = await this.#insert(actor, 'backtest', body.name, r.profileId, r.spec);
    this.queue.submit({ kind: 'backtest', id: row.id, tenantId: actor.tenantId, markets: r.markets, config: r.config });
    return summaryOf(row);
  }

  async submitSweep(actor: ActorContext, body: CreateSweepRequest): Promise<BacktestSummary> {
    this.queue.admit(actor.tenantId);
    const r = await resolveSweep(this.deps, actor, body);
    const row = await this.#insert(actor, 'sweep', body.name, r.profileId, r.spec);
    this.queue.submit({ kind: 'sweep', id: row.id, tenantId: actor.tenantId, markets: r.markets, ...r.sweep });
    return summaryOf(row);
  }

  async list(actor: Pick<ActorContext, 'tenantId'>, kind: RunKind, q: { status?: BacktestStatus | undefined; limit: number; cursor?: string | undefined }) {
    const page = await this.#store.list(actor.tenantId, kind, q);
    return { items: page.rows.map(summaryOf), nextCursor: page.nextCursor };
  }

  async backtest(actor: Pick<ActorContext, 'tenantId'>, id: string): Promise<BacktestDetail> {
    return backtestDetailOf((await this.#store.get(actor.tenantId, 'backtest', id)) ?? notFound('backtest', id));
  }

  async sweep(actor: Pick<ActorContext, 'tenantId'>, id: string): Promise<SweepDetail> {
    return sweepDetailOf((await this.#store.get(actor.tenantId, 'sweep', id)) ?? notFound('sweep', id));
  }

  /**
   * Cancels a queued or running run: marked cancelled first (a worker finishing meanwhile then
   * changes nothing), then its worker threads are terminated; answers once they have exited.
   * 409 for a run that has already finished.
   */
  async cancel(actor: Pick<ActorContext, 'tenantId'>, kind: RunKind, id: string): Promise<BacktestSummary> {
    const row = await this.#store.cancel(actor.tenantId, kind, id);
    if (!row) {
      const existing = (await this.#store.summary(actor.tenantId, kind, id)) ?? notFound(kind, id);
      throw new AppError('CONFLICT', `The ${LABEL[kind].one} is already ${existing.status}: there is nothing to cancel. Delete it, or submit a new one.`);
    }
    await this.queue.cancel(id);
    this.#finished(row);
    return summaryOf(row);
  }

  /** Deletes a run and its results; a queued or running one is cancelled first. */
  async delete(actor: Pick<ActorContext, 'tenantId'>, kind: RunKind, id: string): Promise<void> {
    const cancelled = await this.#store.cancel(actor.tenantId, kind, id);
    if (cancelled) {
      await this.queue.cancel(id);
      this.#finished(cancelled);
    }
    if (!(await this.#store.delete(actor.tenantId, kind, id))) notFound(kind, id);
  }

  /** Completed backtests side by side: metrics and equity curves, in the order asked for. */
  async compare(actor: Pick<ActorContext, 'tenantId'>, ids: readonly string[]) {
    const unique = [...new Set(ids)];
    const rows = new Map((await this.#store.withEquity(actor.tenantId, unique)).map((r) => [r.id, r]));
    return {
      items: unique.map((id) => {
        const r = rows.get(id) ?? notFound('backtest', id);
        if (r.status !== 'completed') throw new AppError('CONFLICT', `Backtest ${id} is ${r.status}: only completed backtests can be compared. Wait for it to finish, or leave it out.`);
        const s = summaryOf(r);
        return { id, name: s.name, strategy: s.strategy, params: s.params, symbols: s.symbols, timeframe: s.timeframe, from: s.from, to: s.to, metrics: s.metrics!, equity: r.equity as { time: number[]; value: number[]; drawdown: number[] } };
      }),
    };
  }

  close(): Promise<void> {
    return this.queue.close();
  }

  async #insert(actor: ActorContext, kind: RunKind, name: string | undefined, profileId: string | null, spec: unknown): Promise<RunSummaryRow> {
    const row = await this.#store.insert({
      id: randomUUID(),
      tenantId: actor.tenantId,
      kind,
      name: name ?? null,
      profileId,
      config: spec as Record<string, unknown>,
      runner: this.deps.runner,
      createdBy: actor.userId,
      createdByUsername: actor.username,
    });
    this.#progress(row.tenantId, row.id, kind, 'queued', { percent: 0, barsPerSecond: 0 });
    return row;
  }

  /** The queue's reports: stored, then pushed. A report the database refuses (the run moved on) is not pushed. */
  #sink(): RunSink {
    const { logger } = this.deps;
    return {
      started: async (job: Job) => {
        const row = await this.#store.markRunning(job.tenantId, job.id);
        if (row) this.#progress(job.tenantId, job.id, job.kind, 'running', { percent: 0, barsPerSecond: 0 });
        return row !== null;
      },
      progress: async (job: Job, p: BacktestProgressView) => {
        try {
          const running = await this.#store.progress(job.tenantId, job.id, p);
          if (running) this.#progress(job.tenantId, job.id, job.kind, 'running', p);
          return running;
        } catch (err) {
          // Progress is advisory: a database hiccup must not stop the run.
          logger.warn({ err, backtestId: job.id }, 'could not store backtest progress');
          return true;
        }
      },
      completed: async (job: Job, outcome: JobOutcome) => {
        const row = await this.#store.complete(job.tenantId, job.id, { metrics: outcome.metrics, result: outcome.result, progress: outcome.progress });
        if (row) this.#finished(row);
      },
      failed: async (job: Job, error: RunError) => {
        const row = await this.#store.fail(job.tenantId, job.id, error);
        if (row) this.#finished(row);
      },
    };
  }

  #progress(tenantId: string, id: string, kind: RunKind, status: BacktestStatus, p: BacktestProgressView) {
    const event: BacktestProgressEvent = { id, kind, status, ...p };
    void this.deps.hub.publish('/trading', rooms.tenant(tenantId), 'backtest.progress', event);
  }

  #finished(r: RunSummaryRow) {
    const event: BacktestFinishedEvent = {
      id: r.id,
      kind: r.kind,
      status: r.status as BacktestFinishedEvent['status'],
      metrics: (r.metrics as BacktestMetricsView | null) ?? null,
      error: r.error ?? null,
      finishedAt: (r.finishedAt ?? new Date()).toISOString(),
    };
    void this.deps.hub.publish('/trading', rooms.tenant(r.tenantId), 'backtest.finished', event);
  }
}

function notFound(kind: RunKind, id: string): never {
  throw new AppError('NOT_FOUND', `No ${LABEL[kind].one} ${id} in your tenant: ${LABEL[kind].list} lists them.`);
}
