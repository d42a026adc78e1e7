import { AppError, type OrderView, type PlaceOrderRequest } from '@kestrel/contracts';
import { and, decisions, desc, eq, fills, gte, isNull, lt, lte, or, orderEvents, orders, profiles, type Database } from '@kestrel/db';
import { Dec, isTerminal, type Intent } from '@kestrel/trading-core';
import type { OrderPipeline } from '../trading/order-pipeline.ts';
import { toDecisionView, toOrderView } from '../trading/order-views.ts';
import { appendAudit } from './audit.ts';
import type { ActorContext } from './context.ts';
import { decodeTimeCursor, encodeTimeCursor } from './time-cursor.ts';

export interface OrderQuery {
  profileId?: string | undefined;
  status?: OrderView['status'] | undefined;
  symbol?: string | undefined;
  side?: 'buy' | 'sell' | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}


/**
 * Orders of a tenant: manual placement (through the same pipeline and gates as strategy intents),
 * cancellation, and the read side (filters, cursor pagination, lifecycle history and fills).
 */
export class OrderService {
  constructor(
    private readonly database: Database,
    private readonly pipeline: OrderPipeline,
  ) {}

  async place(actor: ActorContext, body: PlaceOrderRequest, idempotencyKey?: string) {
    const intent: Intent = {
      kind: 'order',
      side: body.side,
      orderType: body.type,
      quantity: new Dec(body.quantity),
      ...(body.price ? { price: new Dec(body.price) } : {}),
      ...(body.stopPrice ? { stopPrice: new Dec(body.stopPrice) } : {}),
      ...(body.timeInForce ? { timeInForce: body.timeInForce } : {}),
      ...(body.reduceOnly ? { reduceOnly: true } : {}),
      reason: `manual order by ${actor.username}`,
    };
    const r = await this.pipeline.submit({ tenantId: actor.tenantId, profileId: body.profileId, intent, source: 'manual', ...(idempotencyKey ? { idempotencyKey } : {}) });
    const decision = toDecisionView(r.decision);
    await this.database.withTenant({ tenantId: actor.tenantId }, (tx) =>
      appendAudit(tx, actor, { tenantId: actor.tenantId, action: 'order.manual.create', target: `profile:${body.profileId}`, before: null, after: { decisionId: decision.id, outcome: decision.outcome, code: decision.code, orderId: r.order?.id ?? null, request: body } }),
    );
    if (!r.order) throw new AppError('ORDER_DENIED', `${decision.code ?? decision.outcome}: ${decision.reason}`, { details: { decision } });
    return { order: toOrderView(r.order), decision };
  }

  /**
   * What a manual request with this Idempotency-Key did, read back from the decision stored with
   * the key: its order now (201 body) or its refusal (ORDER_DENIED); null when it never got that far.
   */
  async recoverByKey(actor: ActorContext, idempotencyKey: string): Promise<{ statusCode: number; body: unknown } | null> {
    const found = await this.database.withTenant({ tenantId: actor.tenantId }, async (tx) => {
      const [d] = await tx.select().from(decisions).where(and(eq(decisions.tenantId, actor.tenantId), eq(decisions.idempotencyKey, idempotencyKey)));
      if (!d) return null;
      const [o] = d.orderId ? await tx.select().from(orders).where(eq(orders.id, d.orderId)) : [];
      return { d, o };
    });
    if (!found) return null;
    const decision = toDecisionView(found.d);
    if (!found.o) throw new AppError('ORDER_DENIED', `${decision.code ?? decision.outcome}: ${decision.reason}`, { details: { decision } });
    return { statusCode: 201, body: { order: toOrderView(found.o), decision } };
  }

  async cancel(actor: ActorContext, id: string): Promise<OrderView> {
    const [row] = await this.database.withTenant({ tenantId: actor.tenantId }, (tx) => tx.select().from(orders).where(and(eq(orders.tenantId, actor.tenantId), eq(orders.id, id))));
    if (!row) throw new AppError('NOT_FOUND', 'No such order.');
    if (isTerminal(row.status)) throw new AppError('ORDER_NOT_CANCELLABLE');
    if (row.status === 'new' || row.status === 'cancel_requested') throw new AppError('CONFLICT', `The order is ${row.status === 'new' ? 'being sent' : 'already being cancelled'}; reload it shortly.`);
    const venue = await this.pipeline.venueOf(actor.tenantId, row.exchangeAccountId);
    const after = await this.pipeline.sender.cancel(row, venue);
    await this.database.withTenant({ tenantId: actor.tenantId }, (tx) =>
      appendAudit(tx, actor, { tenantId: actor.tenantId, action: 'order.manual.cancel', target: `order:${id}`, before: { status: row.status }, after: { status: after.status } }),
    );
    return toOrderView(after);
  }

  async list(actor: Pick<ActorContext, 'tenantId'>, q: OrderQuery) {
    const c = q.cursor ? decodeTimeCursor(q.cursor) : null;
    const filters = [
      eq(orders.tenantId, actor.tenantId),
      q.profileId ? eq(orders.profileId, q.profileId) : undefined,
      q.status ? eq(orders.status, q.status) : undefined,
      q.symbol ? eq(orders.symbol, q.symbol) : undefined,
      q.side ? eq(orders.side, q.side) : undefined,
      q.from ? gte(orders.createdAt, new Date(q.from)) : undefined,
      q.to ? lte(orders.createdAt, new Date(q.to)) : undefined,
      c ? or(lt(orders.createdAt, c.at), and(eq(orders.createdAt, c.at), lt(orders.id, c.id))) : undefined,
    ].filter((f) => f !== undefined);
    const rows = await this.database.withTenant({ tenantId: actor.tenantId }, (tx) =>
      tx.select().from(orders).where(and(...filters)).orderBy(desc(orders.createdAt), desc(orders.id)).limit(q.limit + 1),
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page.map(toOrderView), nextCursor: rows.length > q.limit && last ? encodeTimeCursor(last.createdAt, last.id) : null };
  }

  async get(actor: Pick<ActorContext, 'tenantId'>, id: string) {
    return this.database.withTenant({ tenantId: actor.tenantId }, async (tx) => {
      const [row] = await tx.select().from(orders).where(and(eq(orders.tenantId, actor.tenantId), eq(orders.id, id)));
      if (!row) throw new AppError('NOT_FOUND', 'No such order.');
      const steps = await tx.select().from(orderEvents).where(eq(orderEvents.orderId, id)).orderBy(orderEvents.id);
      const fs = await tx.select().from(fills).where(eq(fills.orderId, id)).orderBy(fills.id);
      return {
        ...toOrderView(row),
        history: steps.map((s) => ({ at: s.at.toISOString(), from: s.fromStatus, to: s.toStatus, event: s.event, source: s.source, reason: s.reason })),
        fills: fs.map((f) => ({ tradeId: f.tradeId, venue: f.venue, side: f.side, quantity: new Dec(f.quantity).toFixed(), price: new Dec(f.price).toFixed(), fee: new Dec(f.fee).toFixed(), feeCurrency: f.feeCurrency, liquidity: f.liquidity, at: f.at.toISOString() })),
      };
    });
  }

  async decisions(actor: Pick<ActorContext, 'tenantId'>, profileId: string, q: { outcome?: 'approved' | 'denied' | 'skipped' | undefined; limit: number; cursor?: string | undefined }) {
    return this.database.withTenant({ tenantId: actor.tenantId }, async (tx) => {
      const [p] = await tx.select({ id: profiles.id }).from(profiles).where(and(eq(profiles.tenantId, actor.tenantId), eq(profiles.id, profileId), isNull(profiles.deletedAt)));
      if (!p) throw new AppError('NOT_FOUND', 'No such profile.');
      const filters = [eq(decisions.profileId, profileId), q.outcome ? eq(decisions.outcome, q.outcome) : undefined, q.cursor ? lt(decisions.seq, Number(q.cursor)) : undefined].filter((f) => f !== undefined);
      const rows = await tx.select().from(decisions).where(and(...filters)).orderBy(desc(decisions.seq)).limit(q.limit + 1);
      const page = rows.slice(0, q.limit);
      return { items: page.map(toDecisionView), nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.seq) : null };
    });
  }
}
