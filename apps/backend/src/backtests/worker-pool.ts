import { Worker } from 'node:worker_threads';
import type { BacktestMarket, BacktestProgress } from '@kestrel/backtester';
import type { RunError } from './jobs.ts';
import type { FromWorker, MetricsOnly, StoredResult, TaskConfig, TaskError, ToWorker } from './worker/protocol.ts';

/** The worker's bootstrap: registers tsx in the thread, then loads worker/backtest-worker.ts. */
const ENTRY = new URL('./worker/entry.mjs', import.meta.url);
/**
 * Old-generation heap of one worker. A run that needs more fails alone (BACKTEST_WORKER_FAILED)
 * instead of taking the backend process down with it.
 */
const WORKER_HEAP_MB = 1536;

/** The worker thread died under a task (out of memory, an uncaught error). */
export class WorkerCrashed extends Error {
  readonly code = 'BACKTEST_WORKER_FAILED';
}
/** The worker was terminated on purpose (cancel, shutdown) while a task ran. */
export class WorkerStopped extends Error {}

/** A worker that died or was stopped, as a run error a user can act on. */
export function runErrorOf(err: unknown): RunError {
  if (err instanceof WorkerStopped) return { code: 'BACKTEST_INTERRUPTED', message: 'The backend stopped while this ran: submit it again.' };
  if (err instanceof WorkerCrashed) return { code: err.code, message: `${err.message}. Try a shorter range or fewer symbols; if it persists, report the run id.` };
  return { code: 'BACKTEST_WORKER_FAILED', message: `The backtest worker failed: ${err instanceof Error ? err.message : String(err)}. Submit it again; if it persists, report the run id.` };
}

export type TaskOutcome<R> = { ok: true; result: R } | { ok: false; error: TaskError };
export interface WorkerExit {
  jobId: string;
  threadId: number;
  /** True when terminate() stopped it (cancel, end of job, shutdown); false when it died by itself. */
  terminated: boolean;
}

/**
 * One worker thread holding one job's candles. Candles backed by ArrayBuffers are transferred (the
 * sender's arrays are emptied); candles backed by SharedArrayBuffers (a sweep's) are shared by all
 * of the job's workers. Tasks run one at a time.
 */
export class WorkerSession {
  readonly threadId: number;
  /** Resolves when the thread has exited, for whatever reason. */
  readonly exited: Promise<void>;
  readonly #worker: Worker;
  #pending: { task: number; resolve: (o: TaskOutcome<MetricsOnly | StoredResult>) => void; reject: (e: Error) => void; onProgress: (p: BacktestProgress) => void } | null = null;
  #nextTask = 0;
  #terminating = false;
  #crash: Error | null = null;

  constructor(
    readonly jobId: string,
    markets: readonly BacktestMarket[],
    onExit: (session: WorkerSession, e: WorkerExit) => void,
    entry: URL = ENTRY,
  ) {
    this.#worker = new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    this.threadId = this.#worker.threadId;
    this.#worker.on('message', (m: FromWorker) => this.#onMessage(m));
    this.#worker.on('error', (err) => {
      this.#crash = new WorkerCrashed(`The backtest worker stopped: ${err.message}`);
    });
    this.exited = new Promise((resolve) => {
      this.#worker.once('exit', () => {
        const p = this.#pending;
        this.#pending = null;
        p?.reject(this.#terminating ? new WorkerStopped('The backtest worker was stopped.') : (this.#crash ?? new WorkerCrashed('The backtest worker exited unexpectedly.')));
        onExit(this, { jobId, threadId: this.threadId, terminated: this.#terminating });
        resolve();
      });
    });
    this.#post({ type: 'markets', markets }, transferables(markets));
  }

  /** Runs one task; a BacktestError of the run is an outcome, a dead worker a rejection (WorkerCrashed / WorkerStopped). */
  run<D extends 'metrics' | 'full'>(config: TaskConfig, detail: D, onProgress: (p: BacktestProgress) => void, progressEveryBars: number): Promise<TaskOutcome<D extends 'metrics' ? MetricsOnly : StoredResult>> {
    if (this.#pending) throw new Error('WorkerSession.run: a task is already running');
    const task = this.#nextTask++;
    return new Promise((resolve, reject) => {
      this.#pending = { task, resolve: resolve as (o: TaskOutcome<MetricsOnly | StoredResult>) => void, reject, onProgress };
      this.#post({ type: 'run', task, config, detail, progressEveryBars });
    });
  }

  /** Stops the thread at once, mid-run if need be; resolves when it has exited. */
  terminate(): Promise<void> {
    this.#terminating = true;
    void this.#worker.terminate();
    return this.exited;
  }

  #post(m: ToWorker, transfer: ArrayBuffer[] = []) {
    this.#worker.postMessage(m, transfer);
  }

  #onMessage(m: FromWorker) {
    const p = this.#pending;
    if (!p || m.task !== p.task) return;
    switch (m.type) {
      case 'progress':
        p.onProgress(m);
        return;
      case 'done':
        this.#pending = null;
        p.resolve({ ok: true, result: m.result });
        return;
      case 'failed':
        this.#pending = null;
        p.resolve({ ok: false, error: m.error });
        return;
    }
  }
}

/** The ArrayBuffers under the markets' candle arrays, each once (SharedArrayBuffers are shared, not transferred). */
function transferables(markets: readonly BacktestMarket[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const { series } of markets) {
    for (const a of [series.time, series.open, series.high, series.low, series.close, series.volume]) {
      if (a.buffer instanceof ArrayBuffer) out.add(a.buffer);
    }
  }
  return [...out];
}

/** A held place in the pool: at most one live worker thread per slot. */
export interface Slot {
  /** Starts this slot's worker thread for the job the slot was acquired for. */
  spawn(markets: readonly BacktestMarket[]): WorkerSession;
  /** Terminates the slot's worker if it still runs and gives the slot back once it has exited. Idempotent. */
  release(): Promise<void>;
}

/**
 * At most `size` backtest worker threads at a time. Slots are granted in request order (FIFO); a
 * waiting request can be withdrawn with its AbortSignal (a cancelled queued job). A slot is free
 * again only when its thread has exited, so live threads never exceed `size`.
 */
export class WorkerPool {
  #free: number;
  readonly #waiting: Array<{ jobId: string; grant: (slot: Slot) => void; fail: (err: Error) => void }> = [];
  readonly #sessions = new Set<WorkerSession>();
  /** Slots held per job. */
  readonly #held = new Map<string, number>();
  readonly #exitListeners = new Set<(e: WorkerExit) => void>();
  #closed = false;

  constructor(
    readonly size: number,
    private readonly entry: URL = ENTRY,
  ) {
    this.#free = size;
  }

  /** Worker threads alive now (spawned and not yet exited). */
  get activeWorkers(): number {
    return this.#sessions.size;
  }
  /**
   * Whether another job waits for a slot while holding none: a sweep gives a slot up between
   * combinations then, so that a job submitted after it starts without waiting for the whole
   * sweep (and two sweeps end up sharing the pool instead of trading slots on every combination).
   */
  starving(jobId: string): boolean {
    return this.#waiting.some((w) => w.jobId !== jobId && !this.#held.has(w.jobId));
  }
  workersOf(jobId: string): WorkerSession[] {
    return [...this.#sessions].filter((s) => s.jobId === jobId);
  }

  /** Told whenever a worker thread exits. Returns the unsubscribe function. */
  onExit(listener: (e: WorkerExit) => void): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  /** A slot for the job, as soon as one is free and every earlier request was served; rejects with the signal's reason when aborted first. */
  acquire(jobId: string, signal?: AbortSignal): Promise<Slot> {
    if (this.#closed) return Promise.reject(new WorkerStopped('The backtest pool is closed.'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#free > 0 && this.#waiting.length === 0) {
      this.#free--;
      return Promise.resolve(this.#slot(jobId));
    }
    return new Promise((resolve, reject) => {
      const entry = {
        jobId,
        grant: (slot: Slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        fail: (err: Error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      const onAbort = () => {
        const i = this.#waiting.indexOf(entry);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(entry);
    });
  }

  /** Terminates every worker and refuses every waiting request (the backend is shutting down). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#waiting.splice(0)) w.fail(new WorkerStopped('The backtest pool is closed.'));
    await Promise.all([...this.#sessions].map((s) => s.terminate()));
  }

  #slot(jobId: string): Slot {
    let session: WorkerSession | null = null;
    let released: Promise<void> | null = null;
    this.#held.set(jobId, (this.#held.get(jobId) ?? 0) + 1);
    return {
      spawn: (markets) => {
        if (session || released) throw new Error('Slot.spawn: this slot already ran a worker');
        session = new WorkerSession(jobId, markets, (s, e) => this.#exited(s, e), this.entry);
        this.#sessions.add(session);
        return session;
      },
      release: () => {
        released ??= (async () => {
          if (session) await session.terminate();
          const held = this.#held.get(jobId)! - 1;
          if (held > 0) this.#held.set(jobId, held);
          else this.#held.delete(jobId);
          this.#free++;
          this.#grantNext();
        })();
        return released;
      },
    };
  }

  #exited(session: WorkerSession, e: WorkerExit) {
    this.#sessions.delete(session);
    for (const l of this.#exitListeners) l(e);
  }

  #grantNext() {
    while (this.#free > 0 && this.#waiting.length > 0 && !this.#closed) {
      this.#free--;
      const next = this.#waiting.shift()!;
      next.grant(this.#slot(next.jobId));
    }
  }
}
