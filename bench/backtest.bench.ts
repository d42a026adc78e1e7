/**
 * `npm run bench:backtest` — issue 4's backtest benchmark, on a 1,000,000-bar series built at run
 * time as ../shared/data/README.md describes (the FESX one-minute file repeated 33 times, each copy
 * shifted by 63 days, the first 1,000,000 bars kept; nothing is committed). Printed side by side,
 * single thread, in one run:
 * - the limit: one hand-written loop over typed arrays doing the reference computation (the two
 *   averages, the crossing, next-open fills and the cash arithmetic) with no engine at all;
 * - the engine: the reference configuration through the real backtester (CSV already parsed), its
 *   trade count and its ratio to the limit (targets: ≥ ¼ of the limit and ≥ 10,000,000 bars/s);
 * - the whole CLI process on the 1M-bar CSV (`npm run backtest -- … --json`), start-up and parsing
 *   included (targets: < 1 s wall, peak RSS ≤ 150 MB);
 * - a no-op strategy's bars/s, and a sweep's aggregate bars/s on 2 worker threads.
 * Figures are printed, not asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runBacktest } from '@kestrel/backtester';
import { parseCandlesCsv, type CandleSeries } from '@kestrel/exchanges';
import { NO_INTENTS } from '@kestrel/trading-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const BARS = Number(process.env.BENCH_BARS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FEE = 0.001;
const CASH = 100_000;

/** The 1M-bar CSV text: FESX 1-minute repeated, each copy 63 days later, first BARS lines. */
function buildCsv(): string {
  const src = readFileSync(join(root, 'packages/market-data/data/candles/fesx-2006-01-02-volume-min-001.csv'), 'utf8')
    .split('\n')
    .filter((l) => /^\d/.test(l));
  const shift = 63 * 86_400_000;
  const out: string[] = ['timestamp_ms,open,high,low,close,volume'];
  for (let copy = 0; out.length <= BARS; copy++) {
    for (const line of src) {
      if (out.length > BARS) break;
      const comma = line.indexOf(',');
      out.push(`${Number(line.slice(0, comma)) + copy * shift}${line.slice(comma)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** The limit: the reference configuration as one plain loop (rolling sums, crossing, next-open fills, cash). */
function handLoop(s: CandleSeries, fast: number, slow: number, size: number): { trades: number; finalValue: number } {
  const { open, close, length: n } = s;
  let sumF = 0;
  let sumS = 0;
  let prevDiff = NaN;
  let cash = CASH;
  let pos = 0;
  let pending = 0; // 1 buy, -1 sell
  let trades = 0;
  for (let i = 0; i < n; i++) {
    if (pending === 1) {
      const cost = open[i]! * size;
      if (cash - cost * (1 + FEE) >= 0) {
        cash -= cost * (1 + FEE);
        pos = size;
      }
    } else if (pending === -1) {
      cash += open[i]! * size * (1 - FEE);
      pos = 0;
      trades++;
    }
    pending = 0;
    const c = close[i]!;
    sumF += c;
    sumS += c;
    if (i >= fast) sumF -= close[i - fast]!;
    if (i >= slow) sumS -= close[i - slow]!;
    if (i >= slow - 1) {
      const diff = sumF / fast - sumS / slow;
      if (prevDiff <= 0 && diff > 0 && pos === 0 && cash - c * size * (1 + FEE) >= 0) pending = 1;
      else if (prevDiff >= 0 && diff < 0 && pos > 0) pending = -1;
      prevDiff = diff;
    }
  }
  return { trades, finalValue: cash + pos * close[n - 1]! };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbars = (bars: number, ms: number) => `${((bars / ms) * 1e3 / 1e6).toFixed(1)}M bars/s`;

function timeIt<T>(fn: () => T): { ms: number; out: T } {
  const t = performance.now();
  const out = fn();
  return { ms: performance.now() - t, out };
}

async function sweepOnThreads(shared: CandleSeries, combos: Array<{ fast: number; slow: number }>, threads: number): Promise<{ ms: number; bars: number }> {
  const t = performance.now();
  const per = Math.ceil(combos.length / threads);
  const results = await Promise.all(
    Array.from({ length: threads }, (_, k) =>
      new Promise<number>((resolve, reject) => {
        const w = new Worker(new URL('./backtest-worker-entry.mjs', import.meta.url), { workerData: { series: shared, combos: combos.slice(k * per, (k + 1) * per) } });
        w.once('message', (bars: number) => resolve(bars));
        w.once('error', reject);
      }),
    ),
  );
  return { ms: performance.now() - t, bars: results.reduce((a, b) => a + b, 0) };
}

/** The series in SharedArrayBuffers: worker threads read it without copies. */
function shareSeries(s: CandleSeries): CandleSeries {
  const copy = (a: Float64Array) => {
    const b = new Float64Array(new SharedArrayBuffer(a.byteLength));
    b.set(a);
    return b;
  };
  return { length: s.length, time: copy(s.time), open: copy(s.open), high: copy(s.high), low: copy(s.low), close: copy(s.close), volume: copy(s.volume) };
}

async function main(): Promise<void> {
  console.log(`backtest benchmark — ${BARS.toLocaleString('en-US')} bars (FESX 1m ×33, 63-day shifts), Node ${process.version}, ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}`);
  const csv = buildCsv();
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-bench-'));
  const csvPath = join(dir, 'fesx-1m-bars.csv');
  writeFileSync(csvPath, csv);
  const parse = timeIt(() => parseCandlesCsv(csv));
  const series = parse.out;
  console.log(`  series: ${series.length.toLocaleString('en-US')} bars, ${(csv.length / 1e6).toFixed(1)} MB CSV (parsed in-process in ${parse.ms.toFixed(0)} ms)\n`);

  const limitRuns: number[] = [];
  let limit = { trades: 0, finalValue: 0 };
  for (let r = 0; r < RUNS; r++) {
    const t = timeIt(() => handLoop(series, 10, 30, 1));
    limitRuns.push(t.ms);
    limit = t.out;
  }
  const reference = { strategy: { id: 'sma-cross', params: { fast: 10, slow: 30, size: 1 } }, markets: [{ symbol: 'FESX/EUR', series }], cash: String(CASH), feeRate: String(FEE) };
  const engineRuns: number[] = [];
  let result = runBacktest(reference);
  for (let r = 0; r < RUNS; r++) {
    const t = timeIt(() => runBacktest(reference));
    engineRuns.push(t.ms);
    result = t.out;
  }
  const noopRuns: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    noopRuns.push(timeIt(() => runBacktest({ ...reference, strategy: { id: 'no-op' }, strategyFactory: () => ({ id: 'no-op', params: {}, onCandle: () => NO_INTENTS }) })).ms);
  }
  const lim = median(limitRuns);
  const eng = median(engineRuns);
  const noop = median(noopRuns);
  const engBarsPerSec = (BARS / eng) * 1e3;
  console.log(`  case                                                    median ms   bars/s          trades   vs limit`);
  console.log(`  limit: hand-written loop over typed arrays             ${lim.toFixed(1).padStart(9)}   ${mbars(BARS, lim).padEnd(15)} ${String(limit.trades).padStart(6)}   1.00×`);
  console.log(`  engine: reference config through the real backtester  ${eng.toFixed(1).padStart(9)}   ${mbars(BARS, eng).padEnd(15)} ${String(result.trades.length).padStart(6)}   ${(lim / eng).toFixed(2)}× (target ≥ 0.25×)`);
  console.log(`  engine: no-op strategy                                 ${noop.toFixed(1).padStart(9)}   ${mbars(BARS, noop).padEnd(15)}`);
  console.log(`  engine target ≥ 10.0M bars/s: ${engBarsPerSec >= 1e7 ? 'MET' : 'NOT MET'}; ≥ ¼ of the limit: ${lim / eng >= 0.25 ? 'MET' : 'NOT MET'}`);
  console.log(`  same trades as the limit loop: ${result.trades.length === limit.trades ? 'yes' : `no (${result.trades.length} vs ${limit.trades})`}; final value engine ${result.finalValue.toFixed(2)}, limit ${limit.finalValue.toFixed(2)}`);
  console.log(`  per order through decide + risk + engine + ledger: ${(((eng - noop) * 1e3) / Math.max(1, result.orders.length)).toFixed(1)} µs (${result.orders.length} orders)\n`);

  // The whole CLI process, through npm as a user runs it. The CLI bundle is built first (once).
  const cli = ['run', '--silent', 'backtest', '--', '--data', csvPath, '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--size', '1', '--fee', String(FEE), '--cash', String(CASH), '--json'];
  spawnSync('npm', cli, { cwd: root, stdio: 'ignore' });
  const walls: number[] = [];
  const rss: number[] = [];
  let trades = -1;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const run = spawnSync('/usr/bin/time', ['-f', '%M', 'npm', ...cli], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
    walls.push(performance.now() - t);
    // GNU time's %M: the peak RSS (KB) of the largest process it waited for (the node running the CLI; npm's is smaller).
    rss.push(Number(run.stderr.trim().split('\n').pop()) / 1024);
    if (run.status === 0) trades = (JSON.parse(run.stdout) as { trades: unknown[] }).trades.length;
  }
  const wall = median(walls);
  const peak = Math.max(...rss);
  console.log(`  CLI process (npm run backtest -- --data <1M-bar CSV> … --json), start-up and parsing included:`);
  console.log(`    wall ${wall.toFixed(0)} ms (runs: ${walls.map((w) => w.toFixed(0)).join(', ')}), peak RSS ${peak.toFixed(0)} MB, ${trades} trades — targets < 1000 ms: ${wall < 1000 ? 'MET' : 'NOT MET'}; ≤ 150 MB: ${peak <= 150 ? 'MET' : 'NOT MET'}`);
  const bare = timeIt(() => spawnSync('npm', ['run', '--silent', 'backtest', '--', '--help'], { cwd: root, stdio: 'ignore' })).ms;
  console.log(`    of which npm + Node start-up + loading the CLI (--help): ${bare.toFixed(0)} ms\n`);

  // A sweep: 8 fast/slow combinations, on 2 worker threads sharing the series.
  const combos = [5, 10, 15, 20].flatMap((fast) => [30, 60].map((slow) => ({ fast, slow })));
  const shared = shareSeries(series);
  const one = await sweepOnThreads(shared, combos.slice(0, 2), 1);
  const two = await sweepOnThreads(shared, combos, 2);
  console.log(`  sweep: ${combos.length} combinations × ${BARS.toLocaleString('en-US')} bars on 2 threads: ${two.ms.toFixed(0)} ms wall, aggregate ${mbars(two.bars, two.ms)} (1 thread, 2 combinations: ${mbars(one.bars, one.ms)}; worker start-up included)`);
  console.log(`\n  For scale: the issue puts the most widely used Python engine at about 1/500 of 10M bars/s on this machine (~20k bars/s); it is not installable here (no PyPI), so it is not run.`);
  rmSync(dir, { recursive: true, force: true });
}

await main();
