import { afterEach, describe, expect, it } from 'vitest';
import type { BacktestProgressView } from '@kestrel/contracts';
import type { BacktestMarket } from '@kestrel/backtester';
import { readCandlesCsv, type CandleSeries } from '@kestrel/exchanges';
import { createLogger } from '@kestrel/server-kit';
import { BTC_USDT_5M_CSV } from '../trading/testing/replay-market.ts';
import { until } from '../trading/testing/wait.ts';
import { BacktestQueue } from './backtest-queue.ts';
import type { Job, JobOutcome, RunError, RunSink, SweepJob } from './jobs.ts';
import { WorkerPool, type WorkerExit } from './worker-pool.ts';

/** Records what the queue reports, in order, as the service's database rows would change. */
class RecordingSink implements RunSink {
  readonly events: Array<{ id: string; type: 'started' | 'progress' | 'completed' | 'failed'; progress?: BacktestProgressView; outcome?: JobOutcome; error?: RunError }> = [];
  async started(job: Job) {
    this.events.push({ id: job.id, type: 'started' });
    return true;
  }
  async progress(job: Job, progress: BacktestProgressView) {
    this.events.push({ id: job.id, type: 'progress', progress });
    return true;
  }
  async completed(job: Job, outcome: JobOutcome) {
    this.events.push({ id: job.id, type: 'completed', outcome });
  }
  async failed(job: Job, error: RunError) {
    this.events.push({ id: job.id, type: 'failed', error });
  }
  of(id: string) {
    return this.events.filter((e) => e.id === id);
  }
  ended(id: string) {
    return this.events.find((e) => e.id === id && (e.type === 'completed' || e.type === 'failed'));
  }
}

const logger = createLogger({ name: 'backend', level: 'silent' });
const btc = async (): Promise<BacktestMarket[]> => [{ symbol: 'BTC/USDT', series: await readCandlesCsv(BTC_USDT_5M_CSV) }];

/** A seeded random walk of 1-minute bars: with SMA 1/2 it trades every few bars, so a run of it lasts seconds. */
function walk(bars: number): BacktestMarket[] {
  const col = () => new Float64Array(bars);
  const s = { length: bars, time: col(), open: col(), high: col(), low: col(), close: col(), volume: col() } satisfies CandleSeries;
  let price = 100;
  let seed = 11;
  for (let i = 0; i < bars; i++) {
    seed = (seed * 16807) % 2147483647;
    s.time[i] = 1_600_000_020_000 + i * 60_000;
    s.open[i] = price;
    price = Math.max(1, price * (1 + (seed / 2147483647 - 0.5) * 0.004));
    s.close[i] = price;
    s.high[i] = Math.max(s.open[i]!, price) * 1.0005;
    s.low[i] = Math.min(s.open[i]!, price) * 0.9995;
    s.volume[i] = 10;
  }
  return [{ symbol: 'SYN/USDT', series: s }];
}
const longRun = (id: string): Job => ({ kind: 'backtest', id, tenantId: 't', markets: walk(300_000), config: { strategy: { id: 'sma-cross', params: { fast: 1, slow: 2, size: 1 } }, cash: '1000000' } });

function sweepJob(id: string, markets: BacktestMarket[]): SweepJob {
  const combinations = [5, 10, 15].flatMap((fast) => [30, 40].map((slow) => ({ fast, size: 1, slow })));
  const inSample = { from: 1672677900000, to: 1675000000000 };
  return { kind: 'sweep', id, tenantId: 't', markets, base: { strategy: { id: 'sma-cross' }, cash: '100000', feeRate: '0.001' }, combinations, skipped: [], inSample, outOfSample: { from: inSample.to, to: 1675977300001 }, topN: 2, rankBy: 'totalReturn' };
}

describe('backtest queue (real worker threads, real engine)', () => {
  let pool: WorkerPool;
  afterEach(async () => pool?.close());

  it('runs a backtest in a worker thread that gets the candles transferred, and ends it when done', async () => {
    pool = new WorkerPool(2);
    const sink = new RecordingSink();
    const queue = new BacktestQueue(pool, sink, logger);
    const markets = await btc();
    queue.submit({ kind: 'backtest', id: 'a', tenantId: 't', markets, config: { strategy: { id: 'sma-cross', params: { fast: 10, slow: 30, size: 1 } }, cash: '100000', feeRate: '0.001' } });
    const done = await until('the backtest to finish', () => sink.ended('a'), 60_000);
    expect(sink.of('a')[0]!.type).toBe('started');
    expect(done.type).toBe('completed');
    expect(done.outcome).toMatchObject({ kind: 'backtest', result: { bars: 10999 } });
    // Transferred, not copied: the queue's arrays were handed over and are empty now.
    expect(markets[0]!.series.close.length).toBe(0);
    await until('the worker to exit', () => pool.activeWorkers === 0);
    expect(queue.size).toBe(0);
  });

  it('a queued job is withdrawn by cancel without ever starting a worker; a running one is terminated; a tenant holds at most maxPerTenant', async () => {
    pool = new WorkerPool(1);
    const sink = new RecordingSink();
    const queue = new BacktestQueue(pool, sink, logger, 2);
    const exits: WorkerExit[] = [];
    pool.onExit((e) => exits.push(e));
    queue.submit(longRun('long'));
    await until('the long run to report progress', () => sink.of('long').some((e) => e.type === 'progress'), 60_000, 10);
    queue.submit(longRun('waiting'));
    expect(queue.holds('waiting')).toBe(true);

    expect(await queue.cancel('waiting')).toBe(true);
    expect(sink.of('waiting')).toEqual([]);
    expect(queue.holds('waiting')).toBe(false);
    expect(pool.workersOf('long')).toHaveLength(1);

    // At most maxPerTenant runs per tenant (here 2) queued or running; other tenants are not held back.
    queue.submit(longRun('second'));
    expect(() => queue.admit('t')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED', headers: { 'retry-after': '30' } }));
    expect(() => queue.admit('another tenant')).not.toThrow();
    expect(await queue.cancel('second')).toBe(true);
    expect(() => queue.admit('t')).not.toThrow();

    expect(await queue.cancel('long')).toBe(true);
    expect(exits).toEqual([expect.objectContaining({ jobId: 'long', terminated: true })]);
    expect(pool.activeWorkers).toBe(0);
    expect(sink.ended('long')).toBeUndefined();
    expect(await queue.cancel('long')).toBe(false);
  });

  it('a sweep ranks the same on one thread as on two, and lets a job submitted after it run between its combinations', async () => {
    const run = async (size: number, alsoBacktest: boolean) => {
      pool = new WorkerPool(size);
      const sink = new RecordingSink();
      const queue = new BacktestQueue(pool, sink, logger);
      queue.submit(sweepJob('sweep', await btc()));
      if (alsoBacktest) {
        await until('the sweep to start', () => sink.of('sweep').length > 0);
        queue.submit({ kind: 'backtest', id: 'later', tenantId: 't', markets: await btc(), config: { strategy: { id: 'sma-cross', params: { size: 1 } }, cash: '1000' } });
      }
      await until('the sweep to finish', () => sink.ended('sweep'), 120_000);
      await pool.close();
      return sink;
    };
    const one = await run(1, true);
    const done = one.ended('sweep')!;
    expect(done.type).toBe('completed');
    // The backtest submitted while the sweep ran did not wait for the whole sweep.
    expect(one.events.findIndex((e) => e.id === 'later' && e.type === 'completed')).toBeLessThan(one.events.indexOf(done));
    const result = (done.outcome as Extract<JobOutcome, { kind: 'sweep' }>).result;
    expect(result.ranking).toHaveLength(6);
    expect(result.outOfSample!.rows).toHaveLength(2);

    const two = await run(2, false);
    expect((two.ended('sweep')!.outcome as Extract<JobOutcome, { kind: 'sweep' }>).result).toEqual(result);
    const progress = two.of('sweep').filter((e) => e.type === 'progress').map((e) => e.progress!);
    expect(progress.map((p) => p.combinationsTotal)).toEqual(progress.map(() => 8));
  });

  it('a worker that dies under a run fails that run with BACKTEST_WORKER_FAILED; the pool goes on', async () => {
    pool = new WorkerPool(1, new URL('./testing/crashing-worker.mjs', import.meta.url));
    const sink = new RecordingSink();
    const queue = new BacktestQueue(pool, sink, logger);
    queue.submit({ kind: 'backtest', id: 'doomed', tenantId: 't', markets: await btc(), config: { strategy: { id: 'sma-cross' }, cash: '1000' } });
    queue.submit({ kind: 'backtest', id: 'next', tenantId: 't', markets: await btc(), config: { strategy: { id: 'sma-cross' }, cash: '1000' } });
    const doomed = await until('the first run to fail', () => sink.ended('doomed'), 30_000);
    expect(doomed).toMatchObject({ type: 'failed', error: { code: 'BACKTEST_WORKER_FAILED' } });
    expect(doomed.error!.message).toMatch(/injected crash/);
    // The slot came back: the next run got a (new) worker too.
    expect(await until('the second run to end', () => sink.ended('next'), 30_000)).toMatchObject({ type: 'failed' });
    await until('the workers to be gone', () => pool.activeWorkers === 0);
  });
});
