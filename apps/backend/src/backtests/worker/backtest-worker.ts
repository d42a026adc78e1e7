import { parentPort } from 'node:worker_threads';
import { MAX_STORED_RESULT_ROWS } from '@kestrel/contracts';
import { BacktestError, runBacktest, type BacktestMarket, type BacktestResult } from '@kestrel/backtester';
import type { FromWorker, StoredResult, TaskError, ToWorker } from './protocol.ts';

/**
 * A backtest worker thread: holds one job's candles and runs its tasks with the backtester, one at
 * a time, synchronously. It is stopped with `worker.terminate()` (the only way to interrupt a run
 * that never yields), so it keeps no state that must be cleaned up.
 */
const port = parentPort;
if (!port) throw new Error('backtest-worker.ts runs as a worker thread (see worker-pool.ts)');
const post = (m: FromWorker) => port.postMessage(m);

let markets: readonly BacktestMarket[] = [];

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'markets':
      markets = m.markets;
      return;
    case 'run':
      try {
        const result = runBacktest(
          { ...m.config, markets },
          { progressEveryBars: m.progressEveryBars, onProgress: (p) => post({ type: 'progress', task: m.task, ...p }) },
        );
        post({ type: 'done', task: m.task, result: m.detail === 'metrics' ? { bars: result.bars, metrics: result.metrics } : stored(result) });
      } catch (err) {
        post({ type: 'failed', task: m.task, error: taskError(err) });
      }
      return;
  }
});

/** Long lists are cut here, before the result is copied to the main thread and into the database. */
function stored(r: BacktestResult): StoredResult {
  const cap = <T>(xs: readonly T[]) => (xs.length > MAX_STORED_RESULT_ROWS ? xs.slice(0, MAX_STORED_RESULT_ROWS) : xs);
  return { ...r, trades: cap(r.trades), orders: cap(r.orders), fills: cap(r.fills), counts: { trades: r.trades.length, orders: r.orders.length, fills: r.fills.length } };
}

function taskError(err: unknown): TaskError {
  if (err instanceof BacktestError) return { code: err.code, message: err.message, issues: err.issues.map((i) => ({ path: i.path.map(String).join('/'), message: i.message })) };
  return { code: 'BACKTEST_WORKER_FAILED', message: `The backtest stopped on an internal error: ${err instanceof Error ? err.message : String(err)}` };
}
