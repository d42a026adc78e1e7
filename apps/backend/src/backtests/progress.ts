import type { BacktestMarket, BacktestProgress } from '@kestrel/backtester';
import type { BacktestProgressView } from '@kestrel/contracts';

/** Progress is stored and pushed at most this often per run. */
export const PROGRESS_EVERY_MS = 250;

/**
 * Lets a run's progress through at most every `everyMs` and never two writes at once (a slow
 * database drops reports rather than queueing them). `settled()` resolves when the write in
 * flight is done, so the final status is always written after the last progress.
 */
export class ProgressGate {
  #last = -Infinity;
  #busy = false;
  #inflight: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (p: BacktestProgressView) => Promise<boolean>,
    /** Called when a write finds the run no longer running (cancelled elsewhere). */
    private readonly onStale: () => void,
    private readonly everyMs = PROGRESS_EVERY_MS,
  ) {}

  offer(p: BacktestProgressView): void {
    const now = performance.now();
    if (this.#busy || now - this.#last < this.everyMs) return;
    this.#last = now;
    this.#busy = true;
    this.#inflight = this.write(p).then(
      (running) => {
        this.#busy = false;
        if (!running) this.onStale();
      },
      () => {
        this.#busy = false;
      },
    );
  }

  settled(): Promise<void> {
    return this.#inflight;
  }
}

/** A backtest's own progress, as the API shows it. */
export const backtestProgressView = (p: BacktestProgress): BacktestProgressView => ({ percent: Math.min(100, p.percent), barsPerSecond: Math.round(p.barsPerSecond) });

/**
 * A sweep's progress over all its runs (in and out of sample): finished runs plus the running
 * ones' own percentages; bars per second over every worker since the sweep started.
 */
export class SweepProgress {
  readonly #running = new Map<number, BacktestProgress>();
  #done = 0;
  #barsFinished = 0;
  readonly #startedAt = performance.now();

  constructor(private readonly total: number) {}

  task(key: number, p: BacktestProgress): void {
    this.#running.set(key, p);
  }

  finished(key: number, bars: number): void {
    this.#running.delete(key);
    this.#done++;
    this.#barsFinished += bars;
  }

  view(): BacktestProgressView {
    let partial = 0;
    let bars = this.#barsFinished;
    for (const p of this.#running.values()) {
      partial += p.percent / 100;
      bars += p.barsDone;
    }
    const seconds = Math.max(1e-3, (performance.now() - this.#startedAt) / 1000);
    return {
      percent: Math.min(100, ((this.#done + partial) / this.total) * 100),
      barsPerSecond: Math.round(bars / seconds),
      combinationsDone: this.#done,
      combinationsTotal: this.total,
    };
  }
}

/** Progress about `reports` times per run (and at least every 1,000 bars apart, so short runs do not flood the port). */
export function progressEveryBars(markets: readonly BacktestMarket[], reports: number): number {
  const bars = markets.reduce((n, m) => n + m.series.length, 0);
  return Math.max(1_000, Math.ceil(bars / reports));
}
