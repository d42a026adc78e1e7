import type { BacktestMetrics, BacktestTrade } from './types.ts';

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

export interface MetricsInput {
  /** Bar open times and the equity at each bar's close (the first `n` entries). */
  readonly time: Float64Array;
  readonly value: Float64Array;
  readonly n: number;
  readonly barMs: number;
  readonly startValue: number;
  readonly trades: readonly BacktestTrade[];
  readonly feesPaid: number;
  /** Bars that closed with a position open. */
  readonly exposedBars: number;
  readonly periodsPerYear?: number;
  /** Points of the downsampled curve. */
  readonly points: number;
}

export interface MetricsOutput {
  readonly metrics: BacktestMetrics;
  readonly equity: { time: number[]; value: number[]; drawdown: number[] };
}

/**
 * Performance metrics of an equity curve and its trades, in one pass over the curve (definitions on
 * BacktestMetrics). Drawdowns are measured on every bar's close, from the starting value on.
 */
export function computeMetrics(m: MetricsInput): MetricsOutput {
  const rec = new EquityRecorder(m.n, m.startValue, m.barMs, m.points);
  for (let i = 0; i < m.n; i++) rec.push(m.time[i]!, m.value[i]!);
  return rec.finish(m.trades, m.feesPaid, m.exposedBars, m.periodsPerYear);
}

/**
 * Takes the equity at each bar's close as the backtest plays it and keeps only what the metrics
 * need — the running peak and drawdowns, one return per period, and the downsampled curve — so a
 * million-bar run holds no million-entry arrays.
 */
export class EquityRecorder {
  readonly #curve = { time: [] as number[], value: [] as number[], drawdown: [] as number[] };
  readonly #returns: number[] = [];
  readonly #daily: boolean;
  readonly #step: number;
  #n = 0;
  #nextPick = 0;
  #picked = 0;
  #peak: number;
  #peakAt = NaN;
  #below = false;
  #maxDd = 0;
  #maxDur = 0;
  #prev: number;
  #day = NaN;
  #last = NaN;
  #lastTime = NaN;
  #firstTime = NaN;

  constructor(
    readonly expected: number,
    readonly startValue: number,
    readonly barMs: number,
    points: number,
  ) {
    const p = Math.max(2, points);
    this.#step = expected <= p ? 1 : (expected - 1) / (p - 1);
    this.#peak = startValue;
    this.#prev = startValue;
    this.#daily = barMs < DAY_MS;
  }

  push(time: number, v: number): void {
    const i = this.#n++;
    if (i === 0) {
      this.#firstTime = time;
      this.#peakAt = time;
    }
    // Period returns: per UTC day for intraday bars (the day's last close), else per bar.
    if (this.#daily) {
      const day = Math.floor(time / DAY_MS);
      if (day !== this.#day && i > 0) this.#closePeriod();
      this.#day = day;
    } else if (i > 0) this.#closePeriod();
    this.#last = v;
    this.#lastTime = time;
    const closeAt = time + this.barMs;
    if (v >= this.#peak) {
      // Back at (or above) the peak: the time under water ends here.
      if (this.#below && closeAt - this.#peakAt > this.#maxDur) this.#maxDur = closeAt - this.#peakAt;
      this.#below = false;
      this.#peak = v;
      this.#peakAt = closeAt;
    } else {
      this.#below = true;
      const dd = (this.#peak - v) / this.#peak;
      if (dd > this.#maxDd) this.#maxDd = dd;
    }
    if (i === this.#nextPick || i === this.expected - 1) this.#pick(time, v);
  }

  #closePeriod(): void {
    this.#returns.push(this.#prev === 0 ? 0 : this.#last / this.#prev - 1);
    this.#prev = this.#last;
  }

  #pick(time: number, v: number): void {
    const c = this.#curve;
    if (c.time.length > 0 && c.time[c.time.length - 1] === time) return;
    c.time.push(time);
    c.value.push(v);
    c.drawdown.push(v >= this.#peak ? 0 : -(this.#peak - v) / this.#peak);
    this.#picked++;
    this.#nextPick = Math.round(this.#picked * this.#step);
  }

  finish(trades: readonly BacktestTrade[], feesPaid: number, exposedBars: number, periodsPerYear?: number): MetricsOutput {
    const n = this.#n;
    const startValue = this.startValue;
    if (n === 0) return { metrics: emptyMetrics(startValue, trades, feesPaid), equity: this.#curve };
    if (this.#curve.time[this.#curve.time.length - 1] !== this.#lastTime) this.#pick(this.#lastTime, this.#last);
    this.#closePeriod();
    const finalValue = this.#last;
    const endTime = this.#lastTime + this.barMs;
    let maxDur = this.#maxDur;
    if (this.#below && endTime - this.#peakAt > maxDur) maxDur = endTime - this.#peakAt;
    const years = (endTime - this.#firstTime) / YEAR_MS;
    const returns = this.#returns;
    const ppy = periodsPerYear ?? (years > 0 ? returns.length / years : 0);
    let wins = 0;
    let grossWin = 0;
    let grossLoss = 0;
    for (const t of trades) {
      if (t.pnlNet > 0) {
        wins++;
        grossWin += t.pnlNet;
      } else grossLoss -= t.pnlNet;
    }
    return {
      metrics: {
        totalReturn: finalValue / startValue - 1,
        cagr: years > 0 && finalValue > 0 ? Math.pow(finalValue / startValue, 1 / years) - 1 : null,
        sharpe: ratio(returns, ppy, false),
        sortino: ratio(returns, ppy, true),
        maxDrawdown: this.#maxDd,
        maxDrawdownDurationMs: maxDur,
        winRate: trades.length > 0 ? wins / trades.length : null,
        profitFactor: grossLoss > 0 ? grossWin / grossLoss : null,
        exposure: exposedBars / n,
        trades: trades.length,
        feesPaid,
        startValue,
        finalValue,
      },
      equity: this.#curve,
    };
  }
}

/** mean / deviation × √periodsPerYear; the deviation is the sample standard deviation, or the downside deviation. */
function ratio(returns: readonly number[], ppy: number, downside: boolean): number | null {
  const k = returns.length;
  if (k < 2 || !(ppy > 0)) return null;
  let sum = 0;
  for (const r of returns) sum += r;
  const mean = sum / k;
  let sq = 0;
  for (const r of returns) {
    if (downside) {
      if (r < 0) sq += r * r;
    } else sq += (r - mean) * (r - mean);
  }
  const dev = downside ? Math.sqrt(sq / k) : Math.sqrt(sq / (k - 1));
  return dev > 0 ? (mean / dev) * Math.sqrt(ppy) : null;
}

function emptyMetrics(startValue: number, trades: readonly BacktestTrade[], feesPaid: number): BacktestMetrics {
  return {
    totalReturn: 0,
    cagr: null,
    sharpe: null,
    sortino: null,
    maxDrawdown: 0,
    maxDrawdownDurationMs: 0,
    winRate: null,
    profitFactor: null,
    exposure: 0,
    trades: trades.length,
    feesPaid,
    startValue,
    finalValue: startValue,
  };
}
