import { rooms, type FillEvent } from '@kestrel/contracts';
import { Dec } from '@kestrel/trading-core';
import type { RealtimeHub } from '../realtime/hub.ts';
import type { OrderRow } from './order-store.ts';
import type { OrderEventsSink } from './order-sender.ts';
import { toDecisionView, toOrderView } from './order-views.ts';
import type { DecisionEventsSink } from './order-pipeline.ts';
import type { decisions } from '@kestrel/db';
import type { VenueTrade } from './venue.ts';

/**
 * Pushes order changes and booked fills on /trading, after their transaction committed, to the
 * tenant room and the order's profile room: `order.update` (the order as in GET /api/orders/:id,
 * without history) and `fill`; then, computed after the commit, `position.update` and `pnl.update`
 * (through `pnl`), and `decision` (as GET /api/profiles/:id/decisions returns it) once the pipeline
 * committed one.
 */
export class TradingEvents implements OrderEventsSink, DecisionEventsSink {
  constructor(
    private readonly hub: RealtimeHub,
    private readonly pnl: { fillBooked(tenantId: string, profileId: string, symbol: string): void } | null = null,
  ) {}

  decisionRecorded(decision: typeof decisions.$inferSelect): void {
    const view = toDecisionView(decision);
    for (const room of [rooms.tenant(decision.tenantId), rooms.profile(decision.profileId)]) void this.hub.publish('/trading', room, 'decision', view);
  }

  #rooms(row: OrderRow): string[] {
    return [rooms.tenant(row.tenantId), ...(row.profileId ? [rooms.profile(row.profileId)] : [])];
  }

  orderChanged(row: OrderRow): void {
    const view = toOrderView(row);
    for (const room of this.#rooms(row)) void this.hub.publish('/trading', room, 'order.update', view);
  }

  fillBooked(row: OrderRow, trade: VenueTrade, venue: string): void {
    const data: FillEvent = {
      orderId: row.id,
      profileId: row.profileId,
      clientOrderId: row.clientOrderId,
      tradeId: trade.tradeId,
      venue,
      side: trade.side,
      quantity: new Dec(trade.quantity).toFixed(),
      price: new Dec(trade.price).toFixed(),
      fee: new Dec(trade.fee).toFixed(),
      feeCurrency: trade.feeCurrency,
      liquidity: trade.liquidity,
      at: new Date(trade.timestamp).toISOString(),
    };
    for (const room of this.#rooms(row)) void this.hub.publish('/trading', room, 'fill', data);
    if (row.profileId) this.pnl?.fillBooked(row.tenantId, row.profileId, row.symbol);
  }
}
