import type { Dec } from '../decimal/dec.ts';
import type { Instrument } from '../instruments/instrument.ts';
import type { TradingStates } from './trading-state.ts';

/** A profile's limits; null or absent switches a check off. Amounts are in the quote currency. */
export interface RiskLimits {
  readonly maxOrderNotional?: Dec | null;
  readonly maxPositionNotional?: Dec | null;
  /** A positive amount: no new exposure once the day's P&L is at or below −maxDailyLoss. */
  readonly maxDailyLoss?: Dec | null;
  /** A fraction (0.2 = 20 %): no new exposure once equity is that far below its peak. */
  readonly maxDrawdown?: Dec | null;
  /** A fraction (0.05 = ±5 %) around the last price for limit prices; also the slippage allowance reserved for market buys. */
  readonly priceBand?: Dec | null;
  readonly orderRate?: { readonly maxOrders: number; readonly windowMs: number } | null;
  /** Fee rate reserved on top of a buy's notional (e.g. 0.001 for 0.1 % taker). Default 0. */
  readonly feeRate?: Dec | null;
}

/** Everything the risk engine reads about one profile at decision time. */
export interface RiskState {
  readonly tradingStates: TradingStates;
  readonly limits: RiskLimits;
  readonly instrument: Instrument;
  readonly lastPrice: Dec | null;
  /** Signed position quantity on the instrument. */
  readonly positionQty: Dec;
  /** Remaining quantity of the profile's open orders on the instrument, this order excluded. */
  readonly openBuyQty: Dec;
  readonly openSellQty: Dec;
  /** Free capital in the quote currency (ledger cash). `reserveOnApproval` reads the pool instead. */
  readonly freeCapital: Dec;
  /** P&L since the start of the trading day: realized + change in unrealized − fees (see `dailyPnl`). */
  readonly dailyPnl: Dec;
  /** Mark-to-market equity now and its running peak. */
  readonly equity: Dec;
  readonly peakEquity: Dec;
}

/**
 * The day's P&L as the daily-loss limit counts it: what was realized today, minus today's fees,
 * plus how much the open position's unrealized P&L moved since the day started.
 */
export function dailyPnl(p: { realizedToday: Dec; feesToday: Dec; unrealizedNow: Dec; unrealizedAtDayStart: Dec }): Dec {
  return p.realizedToday.minus(p.feesToday).plus(p.unrealizedNow).minus(p.unrealizedAtDayStart);
}
