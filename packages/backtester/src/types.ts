import type { CandleSeries } from '@kestrel/exchanges';
import type { Instrument, RiskLimitsConfig, RulesConfig, Strategy } from '@kestrel/trading-core';

/** One market of a backtest: a symbol's candles (typed arrays, ascending bar open times). */
export interface BacktestMarket {
  /** "BASE/QUOTE", e.g. "BTC/USDT". Every market of one backtest has the same quote currency. */
  readonly symbol: string;
  readonly series: CandleSeries;
  /** Instrument filters as decimal strings; defaults: tick 0.00000001, lot 0.00000001, no minimums. */
  readonly tickSize?: string;
  readonly lotSize?: string;
  readonly minQty?: string;
  readonly minNotional?: string;
}

/** How market orders fill: at the next bar's open (default), or at the signal bar's close. */
export type FillModel = 'next-open' | 'close';

/** Protections and limits, as a profile stores them (trading-core's configuration shapes, which the contracts' ProfileRules / RiskLimits match). */
export type BacktestRules = RulesConfig;
export type BacktestRiskLimits = RiskLimitsConfig;

export interface BacktestConfig {
  /** A built-in strategy id (see @kestrel/strategies) and its raw parameters (validated by its schema). */
  readonly strategy: { readonly id: string; readonly params?: Record<string, unknown> };
  /**
   * Programmatic use (research, benchmarks): builds the strategy instead of the registry (one fresh
   * instance per market); `strategy.id` then only names it.
   */
  readonly strategyFactory?: (instrument: Instrument) => Strategy;
  /** One or several symbols; with several, one strategy instance per symbol, one shared cash pool. */
  readonly markets: readonly BacktestMarket[];
  /** Starting cash in the quote currency (decimal string). */
  readonly cash: string;
  /** Fee rate on every fill (decimal string, e.g. "0.001"); also reserved on buys by the risk engine. Default "0". */
  readonly feeRate?: string;
  /** Taker fills move by this many basis points against the order. Default 0. */
  readonly slippageBps?: number;
  /** Default 'next-open'. */
  readonly fill?: FillModel;
  /** The first `warmupBars` bars only warm the strategy up (no orders). Default 0. */
  readonly warmupBars?: number;
  /** Only bars with from ≤ open time < to are played (epoch ms). */
  readonly from?: number;
  readonly to?: number;
  readonly rules?: BacktestRules;
  /** Risk limits; feeRate defaults to the fee rate so buys reserve their commission. */
  readonly riskLimits?: BacktestRiskLimits;
  /** Quote amount sizing an `enter` without a quantity (decimal string). */
  readonly stake?: string;
  /** Points kept in the result's equity curve (evenly spaced, last bar always kept). Default 2000. */
  readonly equityPoints?: number;
  /** Ids the orders are made under (client order ids derive from them); a parity run passes the live profile's. */
  readonly profileId?: string;
  readonly tenantId?: string;
  /** Bar duration; default: the smallest gap between bars of each market. */
  readonly barDurationMs?: number;
  /** Periods per year for Sharpe/Sortino; default inferred (see BacktestMetrics.sharpe). */
  readonly periodsPerYear?: number;
}

export interface BacktestProgress {
  readonly barsDone: number;
  readonly barsTotal: number;
  /** 0..100 */
  readonly percent: number;
  readonly barsPerSecond: number;
}

export interface RunOptions {
  /** Called about every `progressEveryBars` bars (default 50,000) and once at the end. */
  readonly onProgress?: (progress: BacktestProgress) => void;
  readonly progressEveryBars?: number;
  /** Checked with each progress report: when aborted, the run throws BacktestError BACKTEST_CANCELLED. */
  readonly signal?: AbortSignal;
}

/** A round trip: from flat to flat (adds average in). Times are epoch ms; money is a number (exact decimal, converted). */
export interface BacktestTrade {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly entryTime: number;
  readonly entryPrice: number;
  readonly exitTime: number;
  readonly exitPrice: number;
  readonly size: number;
  readonly pnlGross: number;
  /** Fees of the entry and exit fills. */
  readonly commission: number;
  readonly pnlNet: number;
  readonly bars: number;
}

export interface BacktestOpenPosition {
  readonly symbol: string;
  readonly entryTime: number;
  readonly entryPrice: number;
  readonly size: number;
  /** At the last close. */
  readonly unrealizedPnl: number;
}

export interface BacktestOrder {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly orderType: string;
  readonly quantity: string;
  readonly price: string | null;
  readonly status: string;
  readonly createdAt: number;
  readonly reason: string | null;
}

export interface BacktestFill {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly time: number;
}

export interface BacktestMetrics {
  /** Fractions (0.12 = 12 %), not percent. */
  readonly totalReturn: number;
  /** null when the span is empty or the final value is not positive. */
  readonly cagr: number | null;
  /**
   * Annualized, risk-free rate 0, from period returns of the equity: daily returns (equity at the
   * last bar of each UTC day) when bars are shorter than a day, else per-bar returns; periods per
   * year = the number of returns / the span in years (≈ 365 for 24/7 markets, ≈ 252 for
   * exchange-traded data). null with fewer than 2 returns or no variation.
   */
  readonly sharpe: number | null;
  /** As sharpe, with the downside deviation (returns below 0, over all returns) instead of the standard deviation. */
  readonly sortino: number | null;
  readonly maxDrawdown: number;
  /** Longest time from a peak to recovering it (or to the end), ms. */
  readonly maxDrawdownDurationMs: number;
  /** Share of closed trades with pnlNet > 0; null without trades. */
  readonly winRate: number | null;
  /** Σ winning pnlNet / |Σ losing pnlNet|; null without a losing trade. */
  readonly profitFactor: number | null;
  /** Share of bars with an open position. */
  readonly exposure: number;
  readonly trades: number;
  readonly feesPaid: number;
  readonly startValue: number;
  readonly finalValue: number;
}

export interface BacktestResult {
  readonly bars: number;
  readonly startTime: number;
  readonly endTime: number;
  readonly trades: readonly BacktestTrade[];
  readonly openPositions: readonly BacktestOpenPosition[];
  readonly orders: readonly BacktestOrder[];
  readonly fills: readonly BacktestFill[];
  /** Downsampled to config.equityPoints: bar open time, equity at that bar's close, drawdown from the peak (fraction ≤ 0). */
  readonly equity: { readonly time: readonly number[]; readonly value: readonly number[]; readonly drawdown: readonly number[] };
  readonly finalValue: number;
  readonly metrics: BacktestMetrics;
  /** Denied intents by code (RULE_*, RISK_*, INSTRUMENT_*), e.g. the refused buys. */
  readonly denials: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}
