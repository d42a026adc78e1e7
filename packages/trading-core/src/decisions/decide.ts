import type { Dec } from '../decimal/dec.ts';
import { clientOrderId } from '../ids/client-order-id.ts';
import type { Instrument } from '../instruments/instrument.ts';
import type { CapitalPool } from '../ledger/ledger.ts';
import type { LedgerTransaction } from '../ledger/transaction.ts';
import type { CancelOrder, SubmitOrder, TradingCommand } from '../messages/commands.ts';
import type { OrderRequest } from '../orders/order-types.ts';
import type { RiskEngine } from '../risk/risk-engine.ts';
import type { RiskState } from '../risk/risk-limits.ts';
import { evaluateRules, type Rule, type RuleContext } from '../rules/rule.ts';
import type { Intent } from '../strategy/intent.ts';
import { decisionId, intentRecord, type Decision } from './decision.ts';
import type { Denial } from './denial.ts';
import { orderFromIntent } from './intent-to-order.ts';

export interface DecideInput {
  readonly intent: Intent;
  /** The profile's next intent sequence number (persisted, strictly increasing, never reused). */
  readonly decisionSeq: number;
  readonly profileId: string;
  readonly tenantId: string;
  readonly instrument: Instrument;
  readonly rules: readonly Rule[];
  /** `now` is the decision time. */
  readonly ruleContext: RuleContext;
  readonly risk: RiskEngine;
  readonly riskState: RiskState;
  /** Given: approval reserves from it atomically (`reserveOnApproval`). Absent: a dry run (`check`). */
  readonly capital?: CapitalPool | null;
  /** Quote amount that sizes an `enter` without a quantity. */
  readonly stake?: Dec | null;
  /** The profile's open orders, for `cancel` intents. */
  readonly openClientOrderIds?: readonly string[];
}

export interface DecideResult {
  readonly decision: Decision;
  /** SubmitOrder on an approved order intent; CancelOrder(s) on a cancel intent; else empty. */
  readonly commands: readonly TradingCommand[];
  /** The reservation posted on approval, to be stored with the order intent. */
  readonly reservation: LedgerTransaction | null;
}

/**
 * One intent through the gates: rules → intent-to-order (rounding, sizing) → risk engine. Every
 * outcome is a Decision to store, approved or not. An approved order gets the deterministic
 * client order id of (profile, decisionSeq), so the caller persists decision, order intent and
 * reservation together before anything is sent.
 */
export function decide(input: DecideInput): DecideResult {
  const { intent, profileId, tenantId, decisionSeq, instrument } = input;
  const at = input.ruleContext.now;
  const base = {
    id: decisionId(profileId, decisionSeq),
    profileId,
    tenantId,
    symbol: instrument.symbol,
    decisionSeq,
    at,
    intent: intentRecord(intent),
  };

  if (intent.kind === 'cancel') {
    const open = input.openClientOrderIds ?? [];
    const targets = intent.clientOrderId === null ? open : open.filter((id) => id === intent.clientOrderId);
    if (targets.length === 0) return skipped(base, intent.clientOrderId === null ? 'no open order to cancel' : `order ${intent.clientOrderId} is not open`);
    const commands: CancelOrder[] = targets.map((id) => ({ type: 'CancelOrder', at, profileId, tenantId, clientOrderId: id, reason: intent.reason }));
    return {
      decision: { ...base, outcome: 'approved', stage: null, code: null, reason: `cancel ${targets.length} order(s): ${intent.reason}`, order: null, reservation: null },
      commands,
      reservation: null,
    };
  }

  const ruleDenial = evaluateRules(input.rules, input.ruleContext, intent);
  if (ruleDenial !== null) return denied(base, ruleDenial);

  const id = clientOrderId(profileId, decisionSeq);
  if (!id.ok) return denied(base, { stage: 'order', code: id.error.code, reason: id.error.message });
  const converted = orderFromIntent(intent, {
    clientOrderId: id.value,
    profileId,
    tenantId,
    instrument,
    positionQty: input.riskState.positionQty,
    lastPrice: input.riskState.lastPrice,
    stake: input.stake ?? null,
  });
  if (converted.kind === 'skipped') return skipped(base, converted.reason);
  if (converted.kind === 'denied') return denied(base, converted.denial);
  const order = converted.order;

  const capital = input.capital ?? null;
  const { decision: risk, reservation } =
    capital === null ? { decision: input.risk.check(order, input.riskState), reservation: null } : input.risk.reserveOnApproval(order, input.riskState, capital);
  if (risk.outcome === 'denied') return denied(base, risk.denial, order);

  // Written out rather than spread (same keys, same order): this is the path taken on every
  // approved order, and copying objects property by property showed up in its profile.
  const submit: SubmitOrder = {
    type: 'SubmitOrder',
    at,
    decisionId: base.id,
    clientOrderId: order.clientOrderId,
    profileId: order.profileId,
    tenantId: order.tenantId,
    symbol: order.symbol,
    side: order.side,
    orderType: order.orderType,
    timeInForce: order.timeInForce,
    quantity: order.quantity,
    price: order.price,
    stopPrice: order.stopPrice,
    reduceOnly: order.reduceOnly,
  };
  return {
    decision: {
      id: base.id,
      profileId: base.profileId,
      tenantId: base.tenantId,
      symbol: base.symbol,
      decisionSeq: base.decisionSeq,
      at: base.at,
      intent: base.intent,
      outcome: 'approved',
      stage: null,
      code: null,
      reason: `${risk.reason}; ${intent.reason}`,
      order,
      reservation: risk.reservation,
    },
    commands: [submit],
    reservation,
  };
}

type DecisionBase = Pick<Decision, 'id' | 'profileId' | 'tenantId' | 'symbol' | 'decisionSeq' | 'at' | 'intent'>;

// Module-level rather than closures inside decide(): decide runs for every intent of every backtest.
function denied(base: DecisionBase, denial: Denial, order: OrderRequest | null = null): DecideResult {
  return {
    decision: { ...base, outcome: 'denied', stage: denial.stage, code: denial.code, reason: denial.reason, order, reservation: null },
    commands: [],
    reservation: null,
  };
}

function skipped(base: DecisionBase, reason: string): DecideResult {
  return {
    decision: { ...base, outcome: 'skipped', stage: null, code: null, reason, order: null, reservation: null },
    commands: [],
    reservation: null,
  };
}
