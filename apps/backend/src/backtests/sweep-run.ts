import { BACKTEST_RANK_METRICS } from '@kestrel/contracts';
import { rankRows, type BacktestMarket, type BacktestMetrics, type ParamCombination, type TimeRange } from '@kestrel/backtester';
import type { RunError, RunSink, SweepJob } from './jobs.ts';
import { progressEveryBars, ProgressGate, SweepProgress } from './progress.ts';
import { runErrorOf, WorkerCrashed, type TaskOutcome, type WorkerPool } from './worker-pool.ts';
import type { MetricsOnly, TaskConfig } from './worker/protocol.ts';

interface SweepContext {
  pool: WorkerPool;
  sink: RunSink;
  signal: AbortSignal;
  /** Cancels the sweep in the queue (aborts the signal at once; never awaited from inside the run). */
  stop: () => void;
}

/**
 * A sweep: every combination on the in-sample range, ranked by the metric (ties by the parameter
 * values, so the ranking never depends on which worker finished first), then the best `topN`
 * re-run on the out-of-sample range. The combinations are spread over the worker pool: the
 * sweep's lanes each take a slot, start a worker that holds the candles (shared, not copied), and
 * run combinations until none are left — giving their slot back between combinations when
 * another job waits without any slot (WorkerPool.starving), so a long sweep does not starve the queue.
 */
export async function runSweep(job: SweepJob, ctx: SweepContext): Promise<void> {
  const markets = shareMarkets(job.markets);
  const oosRuns = job.outOfSample ? Math.min(job.topN, job.combinations.length) : 0;
  const progress = new SweepProgress(job.combinations.length + oosRuns);
  const gate = new ProgressGate((p) => ctx.sink.progress(job, p), ctx.stop);
  let started: Promise<boolean> | null = null;
  const fan = { ...ctx, markets, progress, gate, start: () => (started ??= ctx.sink.started(job)), every: progressEveryBars(job.markets, 20) };
  const by = { metric: job.rankBy, better: BACKTEST_RANK_METRICS[job.rankBy] };
  try {
    const inSample = await fanOut(job, job.combinations.map((params) => taskConfig(job, params, job.inSample)), 0, fan);
    if (ctx.signal.aborted) return;
    const ranking = rankRows(
      job.combinations.map((params, i) => rowOf(params, inSample[i]!)),
      by,
    );
    let outOfSample = null;
    if (job.outOfSample) {
      const top = ranking.filter((r) => r.metrics !== null).slice(0, job.topN);
      const outcomes = await fanOut(job, top.map((r) => taskConfig(job, r.params, job.outOfSample!)), job.combinations.length, fan);
      if (ctx.signal.aborted) return;
      outOfSample = {
        range: job.outOfSample,
        rows: top.map((r, i) => {
          const o = rowOf(r.params, outcomes[i]!);
          return { inSampleRank: r.rank, params: r.params, inSample: r.metrics, outOfSample: o.metrics, error: o.error };
        }),
      };
    }
    await gate.settled();
    if (ctx.signal.aborted) return;
    const best = ranking[0];
    if (!best || best.metrics === null) {
      const first = ranking.find((r) => r.error)?.error;
      await ctx.sink.failed(job, { code: first?.code ?? 'BACKTEST_WORKER_FAILED', message: `Every combination failed; the first: ${first?.message ?? 'no result'}` });
      return;
    }
    const result = { rankBy: job.rankBy, better: by.better, inSample: job.inSample, combinations: job.combinations.length, skipped: job.skipped, ranking, outOfSample };
    await ctx.sink.completed(job, { kind: 'sweep', metrics: best.metrics, result, progress: progress.view() });
  } catch (err) {
    if (ctx.signal.aborted) return;
    ctx.stop();
    await gate.settled();
    await ctx.sink.failed(job, runErrorOf(err));
  }
}

interface FanOut extends SweepContext {
  markets: readonly BacktestMarket[];
  progress: SweepProgress;
  gate: ProgressGate;
  /** queued → running, once per sweep, when its first lane gets a slot. */
  start: () => Promise<boolean>;
  every: number;
}

/** Runs the tasks over up to pool.size lanes; outcomes in task order. `keyBase` keeps progress keys distinct across phases. */
async function fanOut(job: SweepJob, tasks: readonly TaskConfig[], keyBase: number, f: FanOut): Promise<TaskOutcome<MetricsOnly>[]> {
  const outcomes: TaskOutcome<MetricsOnly>[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length && !f.signal.aborted) {
      const slot = await f.pool.acquire(job.id, f.signal);
      try {
        if (next >= tasks.length) return;
        if (!(await f.start())) return f.stop();
        if (f.signal.aborted) return;
        const session = slot.spawn(f.markets);
        do {
          const i = next++;
          const key = keyBase + i;
          try {
            outcomes[i] = await session.run(tasks[i]!, 'metrics', (p) => {
              f.progress.task(key, p);
              f.gate.offer(f.progress.view());
            }, f.every);
          } catch (err) {
            if (!(err instanceof WorkerCrashed)) throw err;
            // The combination killed its worker (out of memory): record it and go on in a new one.
            outcomes[i] = { ok: false, error: runErrorOf(err) };
            f.progress.finished(key, 0);
            break;
          }
          const o = outcomes[i]!;
          f.progress.finished(key, o.ok ? o.result.bars : 0);
          f.gate.offer(f.progress.view());
        } while (next < tasks.length && !f.pool.starving(job.id));
      } finally {
        await slot.release();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(f.pool.size, tasks.length) }, lane));
  return outcomes;
}

function taskConfig(job: SweepJob, params: ParamCombination, range: TimeRange): TaskConfig {
  return { ...job.base, strategy: { id: job.base.strategy.id, params }, from: range.from, to: range.to };
}

function rowOf(params: ParamCombination, o: TaskOutcome<MetricsOnly>): { params: ParamCombination; metrics: BacktestMetrics | null; error: RunError | null } {
  return o.ok ? { params, metrics: o.result.metrics, error: null } : { params, metrics: null, error: { code: o.error.code, message: o.error.message } };
}

/** The candles copied once into SharedArrayBuffers: every worker of the sweep reads the same memory. */
function shareMarkets(markets: readonly BacktestMarket[]): BacktestMarket[] {
  const share = (a: Float64Array) => {
    const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
    s.set(a);
    return s;
  };
  return markets.map((m) => ({
    ...m,
    series: { length: m.series.length, time: share(m.series.time), open: share(m.series.open), high: share(m.series.high), low: share(m.series.low), close: share(m.series.close), volume: share(m.series.volume) },
  }));
}
