import type { DecisionView, OrderView } from '@kestrel/contracts';
import type { decisions } from '@kestrel/db';
import { Dec } from '@kestrel/trading-core';
import type { OrderRow } from './order-store.ts';

const plain = (v: string | null) => (v === null ? null : new Dec(v).toFixed());

export function toOrderView(r: OrderRow): OrderView {
  return {
    id: r.id,
    profileId: r.profileId,
    exchangeAccountId: r.exchangeAccountId,
    clientOrderId: r.clientOrderId,
    venueOrderId: r.venueOrderId,
    decisionId: r.decisionId,
    symbol: r.symbol,
    side: r.side,
    type: r.orderType,
    timeInForce: r.timeInForce,
    reduceOnly: r.reduceOnly,
    quantity: new Dec(r.quantity).toFixed(),
    price: plain(r.price),
    stopPrice: plain(r.stopPrice),
    status: r.status,
    filledQty: new Dec(r.filledQty).toFixed(),
    avgFillPrice: plain(r.avgFillPrice),
    fees: new Dec(r.fees).toFixed(),
    feeCurrency: r.feeCurrency,
    source: r.source,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function toDecisionView(d: typeof decisions.$inferSelect): DecisionView {
  return { id: d.id, profileId: d.profileId, seq: d.seq, at: d.at.toISOString(), source: d.source, outcome: d.outcome, stage: d.stage, code: d.code, reason: d.reason, intent: d.intent, orderId: d.orderId };
}
