/** A worker thread of bench/backtest.bench.ts's sweep: runs its share of the combinations, answers with the bars played. */
import { parentPort, workerData } from 'node:worker_threads';
import { runBacktest } from '@kestrel/backtester';
import type { CandleSeries } from '@kestrel/exchanges';

const { series, combos } = workerData as { series: CandleSeries; combos: Array<{ fast: number; slow: number }> };
let bars = 0;
for (const { fast, slow } of combos) {
  bars += runBacktest({ strategy: { id: 'sma-cross', params: { fast, slow, size: 1 } }, markets: [{ symbol: 'FESX/EUR', series }], cash: '100000', feeRate: '0.001' }).bars;
}
parentPort!.postMessage(bars);
