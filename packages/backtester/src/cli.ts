/**
 * `npm run backtest -- --data <csv> --strategy <name> --param k=v … --size <qty> --fee <rate>
 * --cash <amount> [--fill next-open|close] [--json]` — one backtest over a candle CSV
 * (`timestamp_ms,open,high,low,close,volume`). Without --json: a readable summary with the equity
 * curve drawn in the terminal; with --json: exactly one JSON object on stdout. Exit codes: 0 done,
 * 2 bad arguments or data (the message says what to fix).
 */
import { basename } from 'node:path';
import { readCandlesCsvFile } from '@kestrel/exchanges';
import { STRATEGY_IDS } from '@kestrel/strategies';
import { BacktestError } from './errors.ts';
import { runBacktest } from './run.ts';
import type { BacktestConfig, BacktestResult, FillModel } from './types.ts';

const USAGE = `Usage: npm run backtest -- --data <candles.csv> --strategy <id> [--param k=v …] [--size <qty>]
         [--fee <rate>] [--cash <amount>] [--fill next-open|close] [--slippage <bps>] [--warmup <bars>]
         [--symbol BASE/QUOTE] [--from <ISO date>] [--to <ISO date>] [--json]
Strategies: ${STRATEGY_IDS.join(', ')}
Example: npm run backtest -- --data packages/market-data/data/candles/BTC_USDT-5m.csv --strategy sma-cross --param fast=10 --param slow=30 --size 1 --fee 0.001 --cash 100000`;

class UsageError extends Error {}

interface Args {
  data: string;
  strategy: string;
  params: Record<string, unknown>;
  size?: string;
  fee: string;
  cash: string;
  fill: FillModel;
  slippage: number;
  warmup: number;
  symbol?: string;
  from?: number;
  to?: number;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Partial<Args> & { params: Record<string, unknown> } = { params: {}, fee: '0', cash: '100000', fill: 'next-open', slippage: 0, warmup: 0, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--data':
        args.data = value();
        break;
      case '--strategy':
        args.strategy = value();
        break;
      case '--param': {
        const kv = value();
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new UsageError(`--param takes key=value, got ${JSON.stringify(kv)}.`);
        const raw = kv.slice(eq + 1);
        args.params[kv.slice(0, eq)] = raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw;
        break;
      }
      case '--size':
        args.size = value();
        break;
      case '--fee':
        args.fee = value();
        break;
      case '--cash':
        args.cash = value();
        break;
      case '--fill': {
        const f = value();
        if (f !== 'next-open' && f !== 'close') throw new UsageError(`--fill is next-open or close, got ${JSON.stringify(f)}.`);
        args.fill = f;
        break;
      }
      case '--slippage':
        args.slippage = Number(value());
        break;
      case '--warmup':
        args.warmup = Number(value());
        break;
      case '--symbol':
        args.symbol = value();
        break;
      case '--from':
      case '--to': {
        const v = value();
        const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
        if (!Number.isFinite(t)) throw new UsageError(`${flag} takes an ISO date or epoch milliseconds, got ${JSON.stringify(v)}.`);
        args[flag === '--from' ? 'from' : 'to'] = t;
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`Unknown option ${JSON.stringify(flag)}.`);
    }
  }
  if (!args.data) throw new UsageError('--data <candles.csv> is required.');
  if (!args.strategy) throw new UsageError('--strategy <id> is required.');
  return args as Args;
}

/** BTC_USDT-5m.csv → BTC/USDT; orcl-1995-2014.csv → ORCL/USD. */
function symbolOf(path: string): string {
  const name = basename(path).replace(/\.csv$/i, '');
  const pair = /^([A-Za-z0-9]+)_([A-Za-z0-9]+)(?:-|$)/.exec(name);
  if (pair) return `${pair[1]!.toUpperCase()}/${pair[2]!.toUpperCase()}`;
  return `${(/^[A-Za-z0-9]+/.exec(name)?.[0] ?? 'ASSET').toUpperCase()}/USD`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const round = (x: number, digits = 10) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

/** The CLI's JSON document (the reference format other engines are compared with). */
export function toJson(result: BacktestResult) {
  const open = result.openPositions[0];
  return {
    bars: result.bars,
    trades: result.trades.map((t) => ({
      entryTime: iso(t.entryTime),
      entryPrice: t.entryPrice,
      exitTime: iso(t.exitTime),
      exitPrice: t.exitPrice,
      size: t.size,
      pnlGross: round(t.pnlGross),
      commission: round(t.commission),
      pnlNet: round(t.pnlNet),
    })),
    openPosition: open ? { entryTime: iso(open.entryTime), entryPrice: open.entryPrice, size: open.size } : null,
    finalValue: round(result.finalValue),
    metrics: result.metrics,
  };
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** The equity curve as one line of block characters. */
function sparkline(values: readonly number[], width = 64): string {
  if (values.length === 0) return '';
  const pts: number[] = [];
  for (let k = 0; k < width; k++) pts.push(values[Math.min(values.length - 1, Math.round((k * (values.length - 1)) / (width - 1)))]!);
  const lo = Math.min(...pts);
  const hi = Math.max(...pts);
  return pts.map((v) => BLOCKS[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (BLOCKS.length - 1))]).join('');
}

function summary(result: BacktestResult, args: Args, symbol: string, parseMs: number): string {
  const m = result.metrics;
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);
  const num = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d));
  const money = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const days = (ms: number) => `${(ms / 86_400_000).toFixed(1)} days`;
  const lines = [
    `Backtest ${args.strategy} ${JSON.stringify(args.params)} on ${symbol} (${basename(args.data)})`,
    `  ${result.bars.toLocaleString('en-US')} bars, ${iso(result.startTime).slice(0, 16)} → ${iso(result.endTime).slice(0, 16)}, fills at ${args.fill === 'next-open' ? "the next bar's open" : "the bar's close"}, fee ${args.fee}`,
    '',
    `  equity ${sparkline(result.equity.value)}`,
    `         ${money(m.startValue)} → ${money(m.finalValue)}`,
    '',
    `  total return   ${pct(m.totalReturn).padStart(12)}    CAGR            ${pct(m.cagr).padStart(10)}`,
    `  Sharpe         ${num(m.sharpe).padStart(12)}    Sortino         ${num(m.sortino).padStart(10)}`,
    `  max drawdown   ${pct(-m.maxDrawdown).padStart(12)}    lasting         ${days(m.maxDrawdownDurationMs).padStart(10)}`,
    `  trades         ${String(m.trades).padStart(12)}    win rate        ${pct(m.winRate).padStart(10)}`,
    `  profit factor  ${num(m.profitFactor).padStart(12)}    exposure        ${pct(m.exposure).padStart(10)}`,
    `  fees paid      ${money(m.feesPaid).padStart(12)}`,
  ];
  const refused = Object.entries(result.denials);
  if (refused.length > 0) lines.push(`  refused        ${refused.map(([code, n]) => `${n} × ${code}`).join(', ')}`);
  const open = result.openPositions[0];
  if (open) lines.push(`  open position  ${open.size} since ${iso(open.entryTime).slice(0, 16)} at ${open.entryPrice}, unrealized ${money(open.unrealizedPnl)}`);
  if (result.trades.length > 0) {
    lines.push('', '  last trades');
    for (const t of result.trades.slice(-5)) {
      lines.push(`    ${iso(t.entryTime).slice(0, 16)} @ ${t.entryPrice} → ${iso(t.exitTime).slice(0, 16)} @ ${t.exitPrice}  size ${t.size}  net ${money(t.pnlNet)}`);
    }
  }
  lines.push('', `  parsed in ${parseMs.toFixed(0)} ms, ran in ${result.elapsedMs.toFixed(0)} ms (${Math.round(result.bars / Math.max(result.elapsedMs, 0.001)).toLocaleString("en-US")}k bars/s). --json prints the whole result.`);
  return lines.join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    const msg = (err as Error).message;
    process.stderr.write(`${msg ? `${msg}\n\n` : ''}${USAGE}\n`);
    return msg ? 2 : 0;
  }
  // --size is the strategy's `size` parameter (a strategy without one refuses it by name).
  const params = { ...args.params };
  if (args.size !== undefined) params.size ??= Number(args.size);
  const symbol = args.symbol ?? symbolOf(args.data);
  const t0 = performance.now();
  const progress = !args.json && process.stderr.isTTY;
  let series;
  try {
    series = await readCandlesCsvFile(args.data, progress ? (p) => process.stderr.write(`\r  reading ${(p.bytes / 1e6).toFixed(0)} MB, ${p.bars.toLocaleString('en-US')} bars…`) : undefined);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    process.stderr.write(`${e.code === 'ENOENT' ? `No such file: ${args.data}. Give a CSV of timestamp_ms,open,high,low,close,volume (e.g. packages/market-data/data/candles/BTC_USDT-5m.csv).` : e.message}\n`);
    return 2;
  }
  const parseMs = performance.now() - t0;
  const config: BacktestConfig = {
    strategy: { id: args.strategy, params },
    markets: [{ symbol, series }],
    cash: args.cash,
    feeRate: args.fee,
    slippageBps: args.slippage,
    fill: args.fill,
    warmupBars: args.warmup,
    ...(args.from !== undefined ? { from: args.from } : {}),
    ...(args.to !== undefined ? { to: args.to } : {}),
  };
  let result: BacktestResult;
  try {
    result = runBacktest(config, progress ? { onProgress: (p) => process.stderr.write(`\r  backtesting ${p.percent.toFixed(0)} % (${Math.round(p.barsPerSecond / 1000)}k bars/s)   `) } : {});
  } catch (err) {
    if (err instanceof BacktestError) {
      process.stderr.write(`${err.code}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (progress) process.stderr.write('\r\x1b[K');
  process.stdout.write(args.json ? `${JSON.stringify(toJson(result))}\n` : `${summary(result, args, symbol, parseMs)}\n`);
  return 0;
}
