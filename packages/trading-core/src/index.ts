/**
 * # @kestrel/trading-core
 *
 * The pure trading domain: no I/O, no `Date.now()`, no environment, no randomness. Time comes from
 * an injected `Clock`, so the same code runs in backtest, paper and live.
 *
 * ## The flow of one decision
 * 1. **Market data** (`Candle`, `Tick`: floats) reaches a **strategy** (`Strategy.onCandle` /
 *    `onTick`) with a read-only `StrategyContext` (position, free capital, recent candles, open
 *    orders, time). It returns **intents** (`enter`, `exit`, `order`, `cancel`), usually the shared
 *    `NO_INTENTS`; it never places orders.
 * 2. `decide()` takes each intent through the gates and returns a **Decision** to store, whatever
 *    the outcome:
 *    - **rules** (`SessionRule`, `CooldownAfterLossRule`, `MaxTradesPerDayRule`,
 *      `MaxOpenPositionsRule`: one `Rule` interface) → denial codes `RULE_*`;
 *    - **intent → order**: exact decimals, rounded to the instrument's tick (limit prices never
 *      worse than asked) and lot (down), sized from the stake when no quantity is given;
 *    - **risk engine** (`RiskEngine`, the mandatory gate): trading state ACTIVE | REDUCING | HALTED
 *      (global, tenant, profile), instrument filters (`INSTRUMENT_*`), order rate, price band,
 *      order and position notional, daily loss, drawdown, free capital (`RISK_*`).
 *      `reserveOnApproval` checks and reserves the order's cash from the ledger in one step.
 * 3. An approved decision yields a `SubmitOrder` with the deterministic
 *    `clientOrderId(profileId, decisionSeq)`; the backend persists decision, order and
 *    reservation together before sending (outbox).
 * 4. The venue's answers become **order events** (`OrderSubmitted`, `OrderAccepted`,
 *    `OrderFilled`, `OrderCancelled`, …); `applyOrderEvent` moves the `Order` through its state
 *    machine (`ORDER_TRANSITIONS`), appends to its lifecycle history, ignores duplicate fills and
 *    refuses illegal transitions and overfills.
 * 5. Each newly applied fill updates the **position** (`applyFillToPosition`: netting, average
 *    entry, realized P&L, `PositionOpened`/`Changed`/`Closed`) and the **ledger** (`fillTx` with
 *    the position's `costDelta` and `realizedPnl`, then `Ledger.post`); when the order ends, its
 *    remaining reservation is released (`releaseTx`).
 *
 * Money is exact (`Dec`, decimal.js, 50 digits, half-even; decimal strings on the wire via
 * `decToString`); floats are for market data and indicators only. Every refusal carries a stable
 * code from `CORE_CODES`.
 */
export { CORE_CODES, coreError, err, ok, type CoreCode, type CoreError, type Result } from './errors/codes.ts';
export { assertNever } from './errors/assert-never.ts';

export { Dec, ZERO, ONE, MAX_DIGITS, parseDec, dec, decFromNumber, decToString, minDec, maxDec, sumDec, type DecSign } from './decimal/dec.ts';

export { createInstrument, roundPrice, roundQty, isMultipleOf, type Instrument, type InstrumentSpec, type PriceRounding } from './instruments/instrument.ts';
export { validateOrderForInstrument, type InstrumentCode, type OrderShape } from './instruments/validate-order.ts';

export { ManualClock, fixedClock, type Clock } from './clock/clock.ts';
export { clientOrderId, parseClientOrderId, CLIENT_ORDER_ID_MAX_LENGTH } from './ids/client-order-id.ts';

export {
  TERMINAL_STATUSES,
  isTerminal,
  isOpen,
  leavesQty,
  type Order,
  type OrderRequest,
  type OrderSide,
  type OrderType,
  type TimeInForce,
  type OrderStatus,
  type TransitionSource,
  type Liquidity,
  type Fill,
  type FeeAmount,
  type LifecycleStep,
} from './orders/order-types.ts';
export { ORDER_TRANSITIONS, isLegalTransition } from './orders/order-transitions.ts';
export { createOrder, checkOrderSpec, type OrderSpec } from './orders/create-order.ts';
export { applyOrderEvent, type ApplyOrderEventResult, type OrderEffect, type OrderEventCode } from './orders/apply-order-event.ts';
export { validateLifecycleHistory, type LifecycleValidation, type LifecycleProblem, type LifecycleCode } from './orders/lifecycle-history.ts';

export {
  flatPosition,
  positionSide,
  unrealizedPnl,
  positionNotional,
  netRealizedPnl,
  type Position,
  type PositionSide,
} from './positions/position.ts';
export { applyFillToPosition, type PositionFill, type PositionFillResult } from './positions/apply-fill.ts';

export {
  CASH,
  FEES,
  REALIZED_PNL,
  EXTERNAL,
  ADJUSTMENTS,
  reservedAccount,
  positionAccount,
  accountKind,
  type AccountId,
  type AccountKind,
} from './ledger/accounts.ts';
export { ledgerTxId, sumsByCurrency, type LedgerEntry, type LedgerTransaction, type LedgerTransactionKind } from './ledger/transaction.ts';
export { Ledger, type LedgerView, type CapitalPool, type PostResult, type LedgerCode, type AccountBalance } from './ledger/ledger.ts';
export { depositTx, withdrawTx, reserveTx, releaseTx, feeTx, adjustmentTx, openingTx, fillTx, type FillPosting } from './ledger/operations.ts';

export type { SubmitOrder, CancelOrder, TradingCommand } from './messages/commands.ts';
export type {
  OrderEvent,
  OrderEventType,
  OrderSubmitted,
  OrderDenied,
  OrderAccepted,
  OrderRejected,
  OrderFilled,
  OrderCancelRequested,
  OrderCancelled,
  OrderExpired,
} from './messages/order-events.ts';
export type { PositionEvent, PositionOpened, PositionChanged, PositionClosed } from './messages/position-events.ts';
export type { DecisionRecorded } from './messages/decision-events.ts';
export type { TradingEvent } from './messages/trading-event.ts';

export type { Candle, Tick } from './market-data/candle.ts';
export { CandleHistory, type CandleWindow } from './market-data/candle-history.ts';

export { NO_INTENTS, intentEffect, type Intent, type EnterIntent, type ExitIntent, type PlaceOrderIntent, type CancelIntent, type IntentEffect } from './strategy/intent.ts';
export type { Strategy, StrategyContext, MutableStrategyContext, OpenOrderView } from './strategy/strategy.ts';

export { evaluateRules, type Rule, type RuleContext, type RuleCode } from './rules/rule.ts';
export { SessionRule, type SessionRuleConfig } from './rules/session-rule.ts';
export { CooldownAfterLossRule } from './rules/cooldown-after-loss-rule.ts';
export { MaxTradesPerDayRule } from './rules/max-trades-per-day-rule.ts';
export { MaxOpenPositionsRule } from './rules/max-open-positions-rule.ts';
export { rulesFromConfig, riskLimitsFromConfig, type RulesConfig, type RiskLimitsConfig } from './rules/from-config.ts';
export { localTime, isValidTimeZone, type LocalTime } from './rules/zoned-time.ts';

export { ALL_ACTIVE, effectiveTradingState, type TradingState, type TradingScope, type TradingStates, type ScopedTradingState, type EffectiveTradingState } from './risk/trading-state.ts';
export { dailyPnl, type RiskLimits, type RiskState } from './risk/risk-limits.ts';
export { OrderRateLimiter } from './risk/order-rate-limiter.ts';
export { isReducing, referencePrice, reservationFor, type RiskCode } from './risk/risk-checks.ts';
export { RiskEngine, type RiskDecision, type ReserveOnApprovalResult } from './risk/risk-engine.ts';

export type { Denial, DenialStage } from './decisions/denial.ts';
export { decisionId, intentRecord, type Decision, type IntentRecord } from './decisions/decision.ts';
export { orderFromIntent, type IntentOrder, type IntentOrderContext } from './decisions/intent-to-order.ts';
export { decide, type DecideInput, type DecideResult } from './decisions/decide.ts';
