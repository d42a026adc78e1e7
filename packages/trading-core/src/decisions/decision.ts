import { decToString, type Dec } from '../decimal/dec.ts';
import type { CoreCode } from '../errors/codes.ts';
import type { OrderRequest, OrderSide, OrderType } from '../orders/order-types.ts';
import type { Intent } from '../strategy/intent.ts';
import type { DenialStage } from './denial.ts';

/** The intent as stored with its decision (decimal strings, as the strategy gave it). */
export interface IntentRecord {
  readonly kind: Intent['kind'];
  readonly side: OrderSide | null;
  readonly orderType: OrderType | null;
  readonly quantity: string | null;
  readonly price: string | null;
  readonly stopPrice: string | null;
  readonly clientOrderId: string | null;
  readonly reason: string;
}

/**
 * One decision per intent: the answer to "why did my bot (not) trade?". `approved` produced
 * commands; `denied` names the gate (`stage`), the stable `code` and a `reason` with the numbers;
 * `skipped` means there was nothing to do (an exit while flat, a cancel with no open order).
 */
export interface Decision {
  /** `<profileId>:<decisionSeq>`: one per profile and sequence number. */
  readonly id: string;
  readonly profileId: string;
  readonly tenantId: string;
  readonly symbol: string;
  readonly decisionSeq: number;
  readonly at: number;
  readonly intent: IntentRecord;
  readonly outcome: 'approved' | 'denied' | 'skipped';
  readonly stage: DenialStage | null;
  readonly code: CoreCode | null;
  readonly reason: string;
  /** The order as evaluated (null when the intent never got that far). */
  readonly order: OrderRequest | null;
  /** Cash reserved for the order on approval. */
  readonly reservation: Dec | null;
}

export function decisionId(profileId: string, decisionSeq: number): string {
  return `${profileId}:${decisionSeq}`;
}

function num(v: number | Dec | undefined): string | null {
  if (v === undefined) return null;
  return typeof v === 'number' ? String(v) : decToString(v);
}

export function intentRecord(intent: Intent): IntentRecord {
  switch (intent.kind) {
    case 'cancel':
      return { kind: 'cancel', side: null, orderType: null, quantity: null, price: null, stopPrice: null, clientOrderId: intent.clientOrderId, reason: intent.reason };
    case 'exit':
      return { kind: 'exit', side: null, orderType: intent.orderType, quantity: num(intent.quantity), price: num(intent.price), stopPrice: num(intent.stopPrice), clientOrderId: null, reason: intent.reason };
    case 'enter':
    case 'order':
      return {
        kind: intent.kind,
        side: intent.side,
        orderType: intent.orderType,
        quantity: num(intent.quantity),
        price: num(intent.price),
        stopPrice: num(intent.stopPrice),
        clientOrderId: null,
        reason: intent.reason,
      };
  }
}
