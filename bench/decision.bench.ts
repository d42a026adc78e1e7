/**
 * `npm run bench:decision` — the decision path of issue 3: market data event → strategy → rules →
 * risk engine (with the capital reservation) → order intent, on the real BTC/USDT 5m candles.
 * Each candle is timed on its own (hrtime) so p50 and p99 are per event. Two cases, printed side
 * by side: the strategy alone (most candles: no signal), and the full gate path on every candle
 * (the strategy's candle plus an order intent decided through SessionRule, MaxTradesPerDayRule and
 * the risk engine, reserving capital from the ledger and releasing it again). Target: p99 ≤ 100 µs.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseCandlesCsv } from '@kestrel/exchanges';
import { createStrategy } from '@kestrel/strategies';
import {
  ALL_ACTIVE,
  CandleHistory,
  Ledger,
  ManualClock,
  MaxTradesPerDayRule,
  RiskEngine,
  SessionRule,
  ZERO,
  createInstrument,
  dec,
  decFromNumber,
  decide,
  depositTx,
  flatPosition,
  ledgerTxId,
  releaseTx,
  type Candle,
  type Intent,
  type MutableStrategyContext,
} from '@kestrel/trading-core';

const PROFILE = '0f8fad5b-d9cb-469f-a165-70867728950e';
const TENANT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const LOOPS = Number(process.env.BENCH_LOOPS ?? 5);
/** Issue 3: the full decision path must stay at or under this p99, per event. */
const TARGET_P99_US = 100;

const series = parseCandlesCsv(readFileSync(new URL('../packages/market-data/data/candles/BTC_USDT-5m.csv', import.meta.url), 'utf8'));
const instrumentResult = createInstrument({ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.00001', minQty: '0.00001', minNotional: '5' });
if (!instrumentResult.ok) throw new Error(instrumentResult.error.message);
const btc = instrumentResult.value;

function percentile(sorted: Float64Array, p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
interface Summary {
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly mean: number;
}
/** Per-event figures in µs (samples are ns). */
function summary(name: string, samples: Float64Array): Summary {
  const s = samples.slice().sort();
  let total = 0;
  for (const v of s) total += v;
  const r = { p50: percentile(s, 0.5) / 1000, p99: percentile(s, 0.99) / 1000, p999: percentile(s, 0.999) / 1000, mean: total / s.length / 1000 };
  const cell = (v: number) => v.toFixed(2).padStart(8);
  console.log(`  ${name.padEnd(52)} ${String(s.length).padStart(8)}  ${cell(r.p50)}  ${cell(r.p99)}  ${cell(r.p999)}  ${cell(r.mean)}`);
  return r;
}

function run(fullPath: boolean): Float64Array {
  const clock = new ManualClock(series.time[0]!);
  const risk = new RiskEngine(clock);
  const ledger = new Ledger(PROFILE);
  const dep = depositTx(ledger, { id: 'deposit', at: clock.now(), currency: 'USDT', amount: dec('1000000') });
  if (!dep.ok) throw new Error(dep.error.message);
  ledger.post(dep.value);
  const strategy = createStrategy({ id: 'sma-cross', params: { fast: 10, slow: 30 } }, btc);
  const rules = [new SessionRule({ timeZone: 'UTC', days: [1, 2, 3, 4, 5, 6, 7] }), new MaxTradesPerDayRule({ max: 1_000_000, timeZone: 'UTC' })];
  const history = new CandleHistory(64);
  const position = flatPosition(PROFILE, btc, clock.now());
  const ctx: MutableStrategyContext = {
    now: clock.now(),
    profileId: PROFILE,
    instrument: btc,
    position,
    positionQty: 0,
    freeCapital: 1_000_000,
    lastPrice: NaN,
    openOrders: [],
    candles: history,
  };
  const candle: { -readonly [K in keyof Candle]: Candle[K] } = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  const samples = new Float64Array(series.length * LOOPS);
  let seq = 0;
  let n = 0;
  for (let loop = 0; loop < LOOPS; loop++) {
    for (let i = 0; i < series.length; i++) {
      const shift = loop * (series.time[series.length - 1]! - series.time[0]! + 300_000);
      candle.time = series.time[i]! + shift;
      candle.open = series.open[i]!;
      candle.high = series.high[i]!;
      candle.low = series.low[i]!;
      candle.close = series.close[i]!;
      candle.volume = series.volume[i]!;
      clock.set(candle.time + 300_000);
      const t0 = process.hrtime.bigint();
      history.push(candle);
      ctx.now = clock.now();
      ctx.lastPrice = candle.close;
      const intents: readonly Intent[] = strategy.onCandle(ctx, candle);
      const gated: readonly Intent[] = fullPath && intents.length === 0 ? [{ kind: 'enter', side: 'buy', orderType: 'limit', price: candle.close, quantity: 0.01, reason: 'bench' }] : intents;
      for (const intent of gated) {
        const last = decFromNumber(candle.close);
        const result = decide({
          intent,
          decisionSeq: ++seq,
          profileId: PROFILE,
          tenantId: TENANT,
          instrument: btc,
          rules,
          ruleContext: { now: clock.now(), symbol: btc.symbol, positionQty: ZERO, openPositions: 0, lastLossAt: null, entryTimes: [] },
          risk,
          riskState: {
            tradingStates: ALL_ACTIVE,
            limits: { priceBand: dec('0.05'), feeRate: dec('0.001'), maxOrderNotional: dec('100000') },
            instrument: btc,
            lastPrice: last,
            positionQty: ZERO,
            openBuyQty: ZERO,
            openSellQty: ZERO,
            freeCapital: ledger.freeCapital('USDT'),
            dailyPnl: ZERO,
            equity: ZERO,
            peakEquity: ZERO,
          },
          capital: ledger,
          stake: dec('1000'),
        });
        // Not part of the decision: give the reservation back so capital stays constant.
        const cmd = result.commands[0];
        if (result.reservation && cmd && cmd.type === 'SubmitOrder') {
          const release = releaseTx(ledger, { id: ledgerTxId.release(cmd.clientOrderId), at: clock.now(), clientOrderId: cmd.clientOrderId, currency: 'USDT' });
          if (release.ok && release.value) ledger.post(release.value);
        }
      }
      samples[n++] = Number(process.hrtime.bigint() - t0);
    }
  }
  return samples.subarray(0, n);
}

console.log(`decision path on BTC/USDT 5m (${series.length} candles × ${LOOPS}), per event, µs:`);
console.log(`  ${'case'.padEnd(52)} ${'events'.padStart(8)}  ${'p50'.padStart(8)}  ${'p99'.padStart(8)}  ${'p99.9'.padStart(8)}  ${'mean'.padStart(8)}`);
run(true); // warm-up (JIT)
const strategyOnly = summary('strategy only (sma-cross 10/30, mostly no signal)', run(false));
const full = summary('candle → strategy → rules → risk + reserve → intent', run(true));
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(0)}×` : 'n/a');
console.log(`\n  full path / strategy only: p50 ${ratio(full.p50, strategyOnly.p50)}, p99 ${ratio(full.p99, strategyOnly.p99)}`);
console.log(`  target p99 ≤ ${TARGET_P99_US} µs for the full path: ${full.p99 <= TARGET_P99_US ? 'met' : 'NOT met'} (p99 ${full.p99.toFixed(2)} µs, p50 ${full.p50.toFixed(2)} µs)`);
// Wall-clock percentiles include every time the OS ran something else: on a busy machine the
// tail says more about the neighbours than about this code. Say so instead of hiding it.
const load = loadavg()[0]!;
const cores = availableParallelism();
if (load > cores * 0.5) {
  console.log(`  note: load average ${load.toFixed(1)} on ${cores} cores while measuring: p99 and above are noisy; rerun on an idle machine and compare medians of several runs`);
}
