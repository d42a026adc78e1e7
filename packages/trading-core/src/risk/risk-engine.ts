import type { Clock } from '../clock/clock.ts';
import { decToString, isPositiveDec, type Dec } from '../decimal/dec.ts';
import type { Denial } from '../decisions/denial.ts';
import { validateOrderFilters } from '../instruments/validate-order.ts';
import { coreError } from '../errors/codes.ts';
import type { CapitalPool } from '../ledger/ledger.ts';
import { reserveTx } from '../ledger/operations.ts';
import { ledgerTxId, type LedgerTransaction } from '../ledger/transaction.ts';
import { checkOrderSpec } from '../orders/create-order.ts';
import type { OrderRequest } from '../orders/order-types.ts';
import { OrderRateLimiter } from './order-rate-limiter.ts';
import {
  checkCapital,
  checkDailyLoss,
  checkDrawdown,
  checkOrderNotional,
  checkPositionNotional,
  checkPriceBand,
  deny,
  isReducing,
  referencePrice,
  reservationOf,
} from './risk-checks.ts';
import type { RiskState } from './risk-limits.ts';
import { effectiveTradingState } from './trading-state.ts';

export type RiskDecision =
  | {
      readonly outcome: 'approved';
      readonly at: number;
      readonly reason: string;
      /** Quote-currency notional the order was valued at. */
      readonly notional: Dec;
      /** Cash to hold for the order (zero for sells). */
      readonly reservation: Dec;
      readonly reducing: boolean;
    }
  | { readonly outcome: 'denied'; readonly at: number; readonly denial: Denial };

export interface ReserveOnApprovalResult {
  readonly decision: RiskDecision;
  /** The posted reservation (null when denied or nothing to reserve). */
  readonly reservation: LedgerTransaction | null;
}

/**
 * The mandatory gate between an intent and the venue. Checks run in a fixed order and the first
 * denial wins: trading state (HALTED, REDUCING) → order parameters → instrument filters → order
 * rate → price band → max order notional → (for orders that add exposure) max position notional,
 * max daily loss, max drawdown → capital. Orders that only reduce the position skip the loss and
 * exposure limits: exits must stay possible when limits are hit.
 */
export class RiskEngine {
  readonly #clock: Clock;
  readonly #rate: OrderRateLimiter;

  constructor(clock: Clock, rateLimiter: OrderRateLimiter = new OrderRateLimiter()) {
    this.#clock = clock;
    this.#rate = rateLimiter;
  }

  /** A dry run: the decision with `state.freeCapital`; changes nothing, reserves nothing. */
  check(order: OrderRequest, state: RiskState): RiskDecision {
    return this.#evaluate(order, state, state.freeCapital, this.#clock.now());
  }

  /**
   * Check and reserve as one step: free capital is read from the pool at this moment (not from
   * `state`), and on approval the order's reservation is posted to the pool before returning, so
   * concurrent intents can never together exceed free capital. A backend backed by a database
   * calls this inside the transaction that holds the profile's ledger lock and also writes the
   * order intent. On approval the order counts towards the rate limit.
   */
  reserveOnApproval(order: OrderRequest, state: RiskState, pool: CapitalPool): ReserveOnApprovalResult {
    const at = this.#clock.now();
    const decision = this.#evaluate(order, state, pool.freeCapital(state.instrument.quote), at);
    if (decision.outcome === 'denied') return { decision, reservation: null };
    let reservation: LedgerTransaction | null = null;
    if (isPositiveDec(decision.reservation)) {
      const built = reserveTx(pool, {
        id: ledgerTxId.reserve(order.clientOrderId),
        at,
        clientOrderId: order.clientOrderId,
        currency: state.instrument.quote,
        amount: decision.reservation,
      });
      const posted = built.ok ? pool.post(built.value) : built;
      if (!posted.ok) {
        const code = posted.error.code === 'LEDGER_INSUFFICIENT_FUNDS' ? 'RISK_INSUFFICIENT_CAPITAL' : posted.error.code;
        return { decision: { outcome: 'denied', at, denial: deny(code, posted.error.message) }, reservation: null };
      }
      reservation = posted.transaction;
    }
    const window = state.limits.orderRate?.windowMs;
    if (window !== undefined) this.#rate.record(order.profileId, at, window);
    return { decision, reservation };
  }

  /** Orders sent recently by a profile (after a take-over), so the rate limit holds across instances. */
  seedOrderTimes(profileId: string, times: readonly number[]): void {
    this.#rate.seed(profileId, times);
  }

  #evaluate(order: OrderRequest, state: RiskState, freeCapital: Dec, at: number): RiskDecision {
    const denied = (denial: Denial): RiskDecision => ({ outcome: 'denied', at, denial });
    const { instrument, limits } = state;
    const reducing = isReducing(order, state);

    const trading = effectiveTradingState(state.tradingStates);
    if (trading.state === 'HALTED') return denied(deny('RISK_TRADING_HALTED', `trading is halted at ${trading.scope} level${because(trading.reason)}`));
    if ((trading.state === 'REDUCING' || order.reduceOnly) && !reducing) {
      const why = trading.state === 'REDUCING' ? `trading is reducing at ${trading.scope} level${because(trading.reason)}` : 'the order is reduce-only';
      return denied(deny('RISK_REDUCE_ONLY', `${why}; ${order.side} ${decToString(order.quantity)} would not reduce the position ${decToString(state.positionQty)}`));
    }

    const problem = checkOrderSpec(order);
    if (problem !== null) return denied(deny('ORDER_INVALID_SPEC', problem, 'order'));
    // The price the order is valued at, and its notional, serve the instrument's minimum notional
    // and the risk limits alike: computed once.
    const price = referencePrice(order, state.lastPrice);
    const notional = price === null ? null : order.quantity.times(price);
    const invalid =
      order.symbol !== instrument.symbol
        ? coreError('INSTRUMENT_SYMBOL_MISMATCH', `order is for ${order.symbol}, instrument is ${instrument.symbol}`)
        : validateOrderFilters(instrument, order, price, notional);
    if (invalid !== null) return denied(deny(invalid.code, invalid.message, 'instrument'));

    const rate = limits.orderRate ?? null;
    if (rate !== null) {
      const count = this.#rate.count(order.profileId, at, rate.windowMs);
      if (count >= rate.maxOrders) {
        const oldest = this.#rate.oldestInWindow(order.profileId, at, rate.windowMs) ?? at;
        return denied(
          deny('RISK_ORDER_RATE', `${count} orders in the last ${rate.windowMs} ms (limit ${rate.maxOrders}); next allowed in ${oldest + rate.windowMs - at} ms`),
        );
      }
    }

    const band = checkPriceBand(order, state);
    if (band !== null) return denied(band);
    if (price === null || notional === null) return denied(deny('RISK_PRICE_BAND', 'no price to value the order'));
    const orderNotional = checkOrderNotional(order, state, notional);
    if (orderNotional !== null) return denied(orderNotional);

    if (!reducing) {
      const exposure = checkPositionNotional(order, state, price) ?? checkDailyLoss(state) ?? checkDrawdown(state);
      if (exposure !== null) return denied(exposure);
    }

    const reservation = reservationOf(order, state, notional);
    const capital = checkCapital(order, state, freeCapital, reservation);
    if (capital !== null) return denied(capital);

    const priced = order.price !== null ? ` @ ${decToString(order.price)}` : '';
    return {
      outcome: 'approved',
      at,
      reducing,
      notional,
      reservation,
      reason: `approved: ${order.side} ${decToString(order.quantity)} ${order.symbol} ${order.orderType}${priced}, notional ${decToString(notional)} ${instrument.quote}, reserves ${decToString(reservation)} ${instrument.quote}`,
    };
  }
}

function because(reason: string | null): string {
  return reason ? `: ${reason}` : '';
}
