import { AppError } from '@kestrel/contracts';
import type { Logger } from '@kestrel/server-kit';
import type { BacktestJob, Job, RunSink } from './jobs.ts';
import { backtestProgressView, progressEveryBars, ProgressGate } from './progress.ts';
import { runSweep } from './sweep-run.ts';
import { runErrorOf, WorkerStopped, type WorkerPool } from './worker-pool.ts';

/** Default of BacktestQueue's maxPerTenant. */
export const MAX_RUNS_PER_TENANT = 20;

/**
 * The backtest queue of this backend instance. Every submitted job asks the worker pool for a slot
 * (FIFO, at most BACKTEST_WORKERS threads); a backtest runs in one worker thread, a sweep in as
 * many as it gets (sweep-run.ts). Cancelling withdraws a queued job's request, or terminates a
 * running job's threads (`worker.terminate()`: a synchronous run cannot be interrupted otherwise).
 * What happens is reported to the RunSink, which stores it and pushes it.
 */
export class BacktestQueue {
  readonly #jobs = new Map<string, { tenantId: string; abort: AbortController; done: Promise<void> }>();

  constructor(
    readonly pool: WorkerPool,
    private readonly sink: RunSink,
    private readonly logger: Logger,
    /** Runs one tenant may have queued or running here: a queued run holds its candles in memory. */
    private readonly maxPerTenant = MAX_RUNS_PER_TENANT,
  ) {}

  /** Refuses (429) a tenant that already has `maxPerTenant` runs here; call it before loading the candles of a new one. */
  admit(tenantId: string): void {
    let held = 0;
    for (const j of this.#jobs.values()) if (j.tenantId === tenantId) held++;
    if (held >= this.maxPerTenant) {
      throw new AppError('RATE_LIMITED', `Your tenant has ${held} backtests and sweeps queued or running, the most at once: wait for some to finish (backtest.finished), or cancel some, then submit again.`, {
        headers: { 'retry-after': '30' },
      });
    }
  }

  /** Jobs held here (queued or running). */
  get size(): number {
    return this.#jobs.size;
  }
  holds(id: string): boolean {
    return this.#jobs.has(id);
  }

  submit(job: Job): void {
    const abort = new AbortController();
    const stop = () => void this.cancel(job.id);
    const run = job.kind === 'backtest' ? this.#backtest(job, abort.signal) : runSweep(job, { pool: this.pool, sink: this.sink, signal: abort.signal, stop });
    const done = run
      .catch(async (err: unknown) => {
        this.logger.error({ err, backtestId: job.id }, 'backtest job ended on an unexpected error');
        await this.sink.failed(job, runErrorOf(err)).catch(() => {});
      })
      .finally(() => this.#jobs.delete(job.id));
    this.#jobs.set(job.id, { tenantId: job.tenantId, abort, done });
  }

  /**
   * Stops a job held here: a queued one leaves the queue, a running one's worker threads are
   * terminated. Resolves once its threads have exited; false when this instance does not hold it.
   */
  async cancel(id: string): Promise<boolean> {
    const held = this.#jobs.get(id);
    if (!held) return false;
    held.abort.abort(new WorkerStopped('The backtest was cancelled.'));
    await Promise.all(this.pool.workersOf(id).map((w) => w.terminate()));
    await held.done;
    return true;
  }

  /** Shutdown: every thread terminated (its run is failed BACKTEST_INTERRUPTED); queued runs stay queued and are failed at the next start-up (the service's recover). */
  async close(): Promise<void> {
    await this.pool.close();
    await Promise.all([...this.#jobs.values()].map((j) => j.done));
  }

  async #backtest(job: BacktestJob, signal: AbortSignal): Promise<void> {
    const slot = await this.pool.acquire(job.id, signal).catch((err: unknown) => {
      if (signal.aborted || err instanceof WorkerStopped) return null;
      throw err;
    });
    if (!slot) return;
    try {
      if (!(await this.sink.started(job)) || signal.aborted) return;
      const every = progressEveryBars(job.markets, 200);
      // From here the job's candle arrays belong to the worker (transferred, emptied here).
      const session = slot.spawn(job.markets);
      const gate = new ProgressGate((p) => this.sink.progress(job, p), () => void this.cancel(job.id));
      const outcome = await session.run(job.config, 'full', (p) => gate.offer(backtestProgressView(p)), every).catch((err: unknown) => {
        if (signal.aborted) return null;
        return { ok: false as const, error: runErrorOf(err) };
      });
      await gate.settled();
      if (!outcome || signal.aborted) return;
      if (outcome.ok) {
        const { result } = outcome;
        const progress = backtestProgressView({ barsDone: result.bars, barsTotal: result.bars, percent: 100, barsPerSecond: result.bars / Math.max(1e-3, result.elapsedMs / 1000) });
        await this.sink.completed(job, { kind: 'backtest', metrics: result.metrics, result, progress });
      } else {
        await this.sink.failed(job, { code: outcome.error.code, message: outcome.error.message });
      }
    } finally {
      await slot.release();
    }
  }
}
