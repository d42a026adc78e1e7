import { fixedSlippage, inferBarDuration, instrumentOfMarket, PaperMatchingEngine, type CandleSeries, type VenueMarket } from '@kestrel/exchanges';
import { createStrategy, parseStrategyParams, type StrategyConfig } from '@kestrel/strategies';
import {
  ALL_ACTIVE,
  CandleHistory,
  decide,
  decFromNumber,
  depositTx,
  Ledger,
  RiskEngine,
  riskLimitsFromConfig,
  rulesFromConfig,
  Dec,
  ZERO,
  type Candle,
  type Intent,
  type RiskLimits,
  type Rule,
} from '@kestrel/trading-core';
import { BacktestError, invalid } from './errors.ts';
import { EquityRecorder } from './metrics.ts';
import { newLeg, SimAccount, type Leg } from './simulation.ts';
import type { BacktestConfig, BacktestResult, RunOptions } from './types.ts';

/** The ids a backtest's orders are made under when the caller gives none (client order ids need a UUID). */
export const BACKTEST_PROFILE_ID = '00000000-0000-4000-8000-00000000b7e5';
export const BACKTEST_TENANT_ID = '00000000-0000-4000-8000-000000000000';

const DEFAULT_STEP = '0.00000001';
const DECIMAL = /^\d+(\.\d+)?$/;

/** A candle object the host refills for each bar (strategies read it during the call; none keeps it). */
type MutableCandle = { -readonly [K in keyof Candle]: Candle[K] };

interface Played {
  readonly leg: Leg;
  readonly series: CandleSeries;
  /** Index of the first bar played (warm-up included), of the first traded bar, and one past the last. */
  readonly first: number;
  readonly start: number;
  readonly end: number;
  readonly candle: MutableCandle;
  cursor: number;
}

/**
 * Runs a backtest: the candles of each market are replayed, in time order, through the very code
 * that trades live — the strategy object from @kestrel/strategies, trading-core's `decide()` with
 * the profile's rules and the risk engine (reserving from a ledger), and the paper exchange's
 * matching engine, which fills the orders against the following bars — only with a simulated
 * clock. Synchronous and deterministic: the same config gives the same result.
 *
 * Per bar: the engine first matches the bar against the resting orders (a market order sent at the
 * previous close fills at this bar's open with `fill: 'next-open'`), then the strategy sees the bar
 * and its intents are decided and sent (with `fill: 'close'` a market order fills at once at this
 * close). The equity (cash + reserved + positions at the close) is recorded at every bar.
 */
export function runBacktest(config: BacktestConfig, options: RunOptions = {}): BacktestResult {
  const started = performance.now();
  const s = setUp(config);
  const { account, played } = s;
  const total = played.reduce((n, p) => n + (p.end - p.first), 0);
  const tradedBars = played.reduce((n, p) => n + (p.end - p.start), 0);
  if (tradedBars === 0) throw new BacktestError('BACKTEST_NO_DATA', 'No bars in the chosen range: widen from/to or import data for it.');

  const barMs = Math.min(...played.map((p) => p.leg.barMs));
  const startValue = Number(config.cash);
  const curve = new EquityRecorder(tradedBars, startValue, barMs, config.equityPoints ?? 2000);
  let n = 0;
  let exposed = 0;
  let startTime = 0;
  let endTime = 0;
  let done = 0;
  const every = Math.max(1, options.progressEveryBars ?? 50_000);
  let nextReport = every;
  const report = () => {
    options.onProgress?.({ barsDone: done, barsTotal: total, percent: total === 0 ? 100 : (done / total) * 100, barsPerSecond: done / Math.max(1e-9, (performance.now() - started) / 1000) });
    if (options.signal?.aborted) throw new BacktestError('BACKTEST_CANCELLED', 'The backtest was cancelled.');
  };

  if (played.length === 1) {
    // One market: a straight loop.
    const p = played[0]!;
    const leg = p.leg;
    for (let i = p.first; i < p.end; i++) {
      s.bar(p, i);
      if (i >= p.start) {
        if (n++ === 0) startTime = p.series.time[i]!;
        endTime = p.series.time[i]!;
        curve.push(endTime, account.equityBase + leg.qty * leg.lastClose);
        if (leg.qty !== 0) exposed++;
      }
      if (++done === nextReport) {
        nextReport += every;
        report();
      }
    }
  } else {
    // Several markets: bars in time order; every market with a bar at that time plays it, then the equity is recorded.
    for (;;) {
      let t = Infinity;
      for (const p of played) if (p.cursor < p.end && p.series.time[p.cursor]! < t) t = p.series.time[p.cursor]!;
      if (t === Infinity) break;
      let trading = false;
      for (const p of played) {
        if (p.cursor < p.end && p.series.time[p.cursor] === t) {
          if (p.cursor >= p.start) trading = true;
          s.bar(p, p.cursor++);
          if (++done === nextReport) {
            nextReport += every;
            report();
          }
        }
      }
      if (!trading) continue;
      let equity = account.equityBase;
      let open = false;
      for (const p of played) {
        if (p.leg.qty !== 0) {
          equity += p.leg.qty * p.leg.lastClose;
          open = true;
        }
      }
      if (n++ === 0) startTime = t;
      endTime = t;
      curve.push(t, equity);
      if (open) exposed++;
    }
  }
  report();

  const { metrics, equity } = curve.finish(account.trades, account.feesPaid.toNumber(), exposed, config.periodsPerYear);
  return {
    bars: n,
    startTime,
    endTime,
    trades: account.trades,
    openPositions: account.openTrades(),
    orders: account.orders,
    fills: account.fills,
    equity,
    finalValue: metrics.finalValue,
    metrics,
    denials: s.denials,
    elapsedMs: performance.now() - started,
  };
}

interface SetUp {
  readonly account: SimAccount;
  readonly played: readonly Played[];
  readonly denials: Record<string, number>;
  /** Plays bar i of a market: engine first, then the strategy and its intents. */
  bar(p: Played, i: number): void;
}

function setUp(config: BacktestConfig): SetUp {
  if (!Array.isArray(config.markets) || config.markets.length === 0) throw invalid('Give at least one market (symbol and candles).');
  if (typeof config.cash !== 'string' || !DECIMAL.test(config.cash) || !(Number(config.cash) > 0)) throw invalid(`cash must be a positive decimal string, got ${JSON.stringify(config.cash)}`);
  const feeRate = config.feeRate ?? '0';
  if (!DECIMAL.test(feeRate) || !(Number(feeRate) < 1)) throw invalid(`feeRate must be a decimal string below 1 (e.g. "0.001"), got ${JSON.stringify(feeRate)}`);
  const slippageBps = config.slippageBps ?? 0;
  if (!(slippageBps >= 0 && slippageBps < 10_000)) throw invalid(`slippageBps must be between 0 and 10000, got ${slippageBps}`);
  const fill = config.fill ?? 'next-open';
  if (fill !== 'next-open' && fill !== 'close') throw invalid(`fill must be "next-open" or "close", got ${JSON.stringify(fill)}`);
  const warmupBars = config.warmupBars ?? 0;
  if (!Number.isInteger(warmupBars) || warmupBars < 0) throw invalid(`warmupBars must be a non-negative integer, got ${warmupBars}`);
  const from = config.from ?? -Infinity;
  const to = config.to ?? Infinity;
  if (!(from < to)) throw invalid('from must be before to.');
  if (config.stake !== undefined && !DECIMAL.test(config.stake)) throw invalid(`stake must be a decimal string, got ${JSON.stringify(config.stake)}`);

  const parsed = config.strategyFactory ? null : parseStrategyParams(config.strategy?.id ?? '', config.strategy?.params ?? {});
  if (parsed && !parsed.ok) throw new BacktestError(parsed.error.code, parsed.error.message, parsed.error.issues.map((i) => ({ path: i.path, message: i.message })));

  let rules: readonly Rule[];
  let limits: RiskLimits;
  try {
    rules = rulesFromConfig(config.rules ?? {});
    limits = riskLimitsFromConfig({ feeRate, ...config.riskLimits });
  } catch (err) {
    throw invalid(`rules or risk limits: ${(err as Error).message}`);
  }

  const profileId = config.profileId ?? BACKTEST_PROFILE_ID;
  const tenantId = config.tenantId ?? BACKTEST_TENANT_ID;
  const quotes = new Set<string>();
  const markets: VenueMarket[] = [];
  const played: Played[] = [];
  const seen = new Set<string>();
  for (const m of config.markets) {
    const [base, quote] = m.symbol.split('/');
    if (!base || !quote || m.symbol.split('/').length !== 2) throw invalid(`symbol must be BASE/QUOTE, got ${JSON.stringify(m.symbol)}`);
    if (seen.has(m.symbol)) throw invalid(`${m.symbol} is given twice.`);
    seen.add(m.symbol);
    quotes.add(quote);
    const market: VenueMarket = {
      symbol: m.symbol,
      base,
      quote,
      tickSize: m.tickSize ?? DEFAULT_STEP,
      lotSize: m.lotSize ?? DEFAULT_STEP,
      minQty: m.minQty ?? m.lotSize ?? DEFAULT_STEP,
      minNotional: m.minNotional ?? '0',
      active: true,
    };
    const instrument = instrumentOfMarket(market);
    if (!instrument) throw invalid(`${m.symbol}: tickSize, lotSize, minQty and minNotional must be positive decimal strings.`);
    markets.push(market);
    const series = m.series;
    let strategy;
    try {
      strategy = parsed ? createStrategy(parsed.value as StrategyConfig, instrument) : config.strategyFactory!(instrument);
    } catch (err) {
      const e = err as { code?: string; message: string; issues?: readonly { path: readonly PropertyKey[]; message: string }[] };
      throw new BacktestError(e.code === 'STRATEGY_PARAMS_INVALID' ? 'STRATEGY_PARAMS_INVALID' : 'BACKTEST_INVALID_CONFIG', e.message, e.issues ?? []);
    }
    const barMs = config.barDurationMs ?? (series.length > 1 ? inferBarDuration(series) : 60_000);
    const history = new CandleHistory(Math.max(64, (strategy.warmup ?? 0) + 2));
    const start = lowerBound(series.time, series.length, from);
    const end = lowerBound(series.time, series.length, to);
    // Warm-up bars come from before `from` when the data has them, else from the start of the range.
    const first = Math.max(0, start - warmupBars);
    const tradeFrom = Math.min(end, first + warmupBars > start ? first + warmupBars : start);
    played.push({
      leg: newLeg(m.symbol, instrument, strategy, history, profileId, barMs),
      series,
      first,
      start: tradeFrom,
      end,
      candle: { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 },
      cursor: first,
    });
  }
  if (quotes.size > 1) throw invalid(`Every market must have the same quote currency (got ${[...quotes].join(', ')}).`);
  const quote = [...quotes][0]!;

  const engine = new PaperMatchingEngine({
    markets,
    balances: { [quote]: config.cash },
    config: {
      makerFeeRate: feeRate,
      takerFeeRate: feeRate,
      marketOrders: fill === 'next-open' ? 'next-price' : 'immediate',
      ...(slippageBps > 0 ? { slippage: fixedSlippage(slippageBps) } : {}),
    },
  });
  const ledger = new Ledger(profileId, { keepHistory: false });
  const first = Math.min(...played.map((p) => (p.series.length > 0 ? p.series.time[p.first] ?? 0 : 0)));
  const dep = depositTx(ledger, { id: 'backtest-deposit', at: first, currency: quote, amount: new Dec(config.cash) });
  if (!dep.ok) throw invalid(dep.error.message);
  ledger.post(dep.value);
  const account = new SimAccount(ledger, engine, quote, played.map((p) => p.leg), profileId);

  let now = first;
  const risk = new RiskEngine({ now: () => now });
  const stake = config.stake === undefined ? null : new Dec(config.stake);
  let seq = 0;
  let peak: Dec | null = null;
  const denials: Record<string, number> = {};

  const act = (leg: Leg, intent: Intent): void => {
    if (intent.kind === 'cancel') {
      for (const o of leg.ctx.openOrders) if (intent.clientOrderId === null || o.clientOrderId === intent.clientOrderId) account.cancel(o.clientOrderId, now);
      return;
    }
    const lastPrice = decFromNumber(leg.lastClose);
    // Equity marked at the last prices, its peak sampled at each decision (as the backend does);
    // only the drawdown limit reads them, so they are computed only when it is set.
    const equity = limits.maxDrawdown ? account.equity() : ZERO;
    if (peak === null || equity.greaterThan(peak)) peak = equity;
    const { decision, commands } = decide({
      intent,
      decisionSeq: ++seq,
      profileId,
      tenantId,
      instrument: leg.instrument,
      rules,
      ruleContext: {
        now,
        symbol: leg.symbol,
        positionQty: leg.position.quantity,
        openPositions: account.openPositions(),
        lastLossAt: account.lastLossAt,
        entryTimes: rules.length > 0 ? account.recentEntries(now) : [],
      },
      risk,
      riskState: {
        tradingStates: ALL_ACTIVE,
        limits,
        instrument: leg.instrument,
        lastPrice,
        positionQty: leg.position.quantity,
        openBuyQty: leg.openBuy,
        openSellQty: leg.openSell,
        freeCapital: ledger.freeCapital(quote),
        dailyPnl: account.dailyPnl(now),
        equity,
        peakEquity: peak.greaterThan(ZERO) ? peak : ZERO,
      },
      capital: ledger,
      stake,
    });
    if (decision.outcome === 'denied' && decision.code !== null) denials[decision.code] = (denials[decision.code] ?? 0) + 1;
    for (const cmd of commands) if (cmd.type === 'SubmitOrder') account.submit(cmd, leg, now);
    // The risk engine's reservation was posted to the ledger directly.
    account.refreshCash();
  };

  const bar = (p: Played, i: number): void => {
    const series = p.series;
    const leg = p.leg;
    const c = p.candle;
    c.time = series.time[i]!;
    c.open = series.open[i]!;
    c.high = series.high[i]!;
    c.low = series.low[i]!;
    c.close = series.close[i]!;
    c.volume = series.volume[i]!;
    now = c.time;
    engine.onBar(leg.symbol, c.time, c.open, c.high, c.low, c.close, c.volume);
    account.sync();
    now = c.time + leg.barMs;
    leg.lastClose = c.close;
    leg.bar++;
    leg.history.push(c);
    const ctx = leg.ctx;
    ctx.now = now;
    ctx.lastPrice = c.close;
    const intents = leg.strategy.onCandle(ctx, c);
    if (intents.length === 0 || i < p.start) return;
    for (const intent of intents) act(leg, intent);
  };

  return { account, played, denials, bar };
}

/** The first index whose time is ≥ t. */
function lowerBound(time: Float64Array, length: number, t: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
