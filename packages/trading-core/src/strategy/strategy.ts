import type { Instrument } from '../instruments/instrument.ts';
import type { Candle, Tick } from '../market-data/candle.ts';
import type { CandleWindow } from '../market-data/candle-history.ts';
import type { OrderSide, OrderType } from '../orders/order-types.ts';
import type { Position } from '../positions/position.ts';
import type { Intent } from './intent.ts';

/** An open order as a strategy sees it (floats; read-only). */
export interface OpenOrderView {
  readonly clientOrderId: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly price: number | null;
  readonly leavesQty: number;
}

/**
 * What a strategy may read. Read-only: the host (backtester, trading loop) owns one context per
 * profile and updates it in place before each call, so nothing is allocated per candle.
 */
export interface StrategyContext {
  /** Clock time of the event, epoch ms. */
  readonly now: number;
  readonly profileId: string;
  readonly instrument: Instrument;
  /** The profile's position on the instrument (flat when none). */
  readonly position: Position;
  /** position.quantity as a float, for quick comparisons. */
  readonly positionQty: number;
  /** Free capital in the quote currency (the ledger's cash), as a float. */
  readonly freeCapital: number;
  readonly lastPrice: number;
  readonly openOrders: readonly OpenOrderView[];
  /** Recent candles, newest first, including the one being handled. */
  readonly candles: CandleWindow;
}

/** The host's writable view of the same object. */
export type MutableStrategyContext = { -readonly [K in keyof StrategyContext]: StrategyContext[K] };

/**
 * A strategy reads market data and its context and returns intents; it never places orders,
 * reads the clock or does I/O, so the same code runs in backtest, paper and live. Return
 * `NO_INTENTS` when there is nothing to do. Indicators live in the strategy and update in O(1)
 * per candle.
 */
export interface Strategy<P = unknown> {
  readonly id: string;
  readonly params: P;
  /** Candles needed before the strategy can decide (the host may skip calls before that). */
  readonly warmup?: number;
  onCandle(ctx: StrategyContext, candle: Candle): readonly Intent[];
  onTick?(ctx: StrategyContext, tick: Tick): readonly Intent[];
}
