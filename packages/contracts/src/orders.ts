import { z } from 'zod';
import { uuidSchema } from './auth.ts';
import { positiveDecimalSchema } from './decimal.ts';

export const ORDER_STATUSES = ['new', 'submitted', 'accepted', 'partially_filled', 'filled', 'cancel_requested', 'cancelled', 'rejected', 'expired'] as const;
export const ORDER_TYPES = ['market', 'limit', 'stop_market', 'stop_limit'] as const;
export const ORDER_SIDES = ['buy', 'sell'] as const;
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);

/**
 * A manual order on a profile: it goes through the same gates as the strategy's intents (rules,
 * risk engine, capital reservation in the profile's ledger) and gets a decision and a deterministic
 * client order id. Send an `Idempotency-Key` header: a repeat with the same key and body gets the
 * first response, never a second order.
 */
export const placeOrderRequestSchema = z
  .object({
    profileId: uuidSchema,
    side: z.enum(ORDER_SIDES),
    type: z.enum(ORDER_TYPES),
    quantity: positiveDecimalSchema.describe('base quantity (rounded down to the lot size)'),
    price: positiveDecimalSchema.optional().describe('limit price: limit and stop_limit'),
    stopPrice: positiveDecimalSchema.optional().describe('trigger price: stop_market and stop_limit'),
    timeInForce: z.enum(['GTC', 'IOC', 'FOK']).optional(),
    reduceOnly: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'PlaceOrderRequest' });
export type PlaceOrderRequest = z.infer<typeof placeOrderRequestSchema>;

export const lifecycleStepSchema = z.object({ at: z.string(), from: z.string(), to: z.string(), event: z.string(), source: z.enum(['local', 'exchange', 'reconciliation']), reason: z.string().nullable() });
export const fillSchema = z
  .object({ tradeId: z.string(), venue: z.string(), side: z.enum(ORDER_SIDES), quantity: z.string(), price: z.string(), fee: z.string(), feeCurrency: z.string(), liquidity: z.enum(['maker', 'taker']), at: z.string() })
  .meta({ id: 'Fill' });

export const orderSchema = z
  .object({
    id: uuidSchema,
    profileId: uuidSchema.nullable(),
    exchangeAccountId: uuidSchema,
    clientOrderId: z.string(),
    venueOrderId: z.string().nullable(),
    decisionId: z.string().nullable(),
    symbol: z.string(),
    side: z.enum(ORDER_SIDES),
    type: z.enum(ORDER_TYPES),
    timeInForce: z.string(),
    reduceOnly: z.boolean(),
    quantity: z.string(),
    price: z.string().nullable(),
    stopPrice: z.string().nullable(),
    status: z.enum(ORDER_STATUSES),
    filledQty: z.string(),
    avgFillPrice: z.string().nullable(),
    fees: z.string(),
    feeCurrency: z.string().nullable(),
    source: z.enum(['strategy', 'manual', 'reconciliation']),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof orderSchema>;

export const orderDetailSchema = orderSchema.extend({ history: z.array(lifecycleStepSchema), fills: z.array(fillSchema) }).meta({ id: 'OrderDetail' });

export const decisionSchema = z
  .object({
    id: z.string(),
    profileId: uuidSchema,
    seq: z.number().int(),
    at: z.string(),
    source: z.enum(['strategy', 'manual']),
    outcome: z.enum(['approved', 'denied', 'skipped']),
    stage: z.string().nullable(),
    code: z.string().nullable().describe('stable denial code, e.g. RISK_INSUFFICIENT_CAPITAL'),
    reason: z.string(),
    intent: z.record(z.string(), z.unknown()),
    orderId: uuidSchema.nullable(),
  })
  .meta({ id: 'Decision' });
export type DecisionView = z.infer<typeof decisionSchema>;

export const placeOrderResponseSchema = z.object({ order: orderSchema, decision: decisionSchema }).meta({ id: 'PlaceOrderResponse' });

const cursorSchema = z.string().max(200).optional().describe('nextCursor of the previous page');
const limitSchema = z.coerce.number().int().min(1).max(500).default(50);
export const orderQuerySchema = z
  .object({
    profileId: uuidSchema.optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    symbol: z.string().max(30).optional(),
    side: z.enum(ORDER_SIDES).optional(),
    from: z.iso.datetime().optional(),
    to: z.iso.datetime().optional(),
    limit: limitSchema,
    cursor: cursorSchema,
  })
  .strict();
export const orderPageSchema = z.object({ items: z.array(orderSchema), nextCursor: z.string().nullable() }).meta({ id: 'OrderPage' });
export const decisionQuerySchema = z.object({ outcome: z.enum(['approved', 'denied', 'skipped']).optional(), limit: limitSchema, cursor: z.string().regex(/^\d{1,19}$/).optional() }).strict();
export const decisionPageSchema = z.object({ items: z.array(decisionSchema), nextCursor: z.string().nullable() }).meta({ id: 'DecisionPage' });

export const positionSchema = z
  .object({ profileId: uuidSchema, symbol: z.string(), quantity: z.string(), avgEntryPrice: z.string().nullable(), cost: z.string(), realizedPnl: z.string(), fees: z.string(), openedAt: z.string().nullable(), updatedAt: z.string() })
  .meta({ id: 'Position' });
export const positionListSchema = z.object({ items: z.array(positionSchema) }).meta({ id: 'PositionList' });

export const ledgerBalanceSchema = z.object({ account: z.string(), currency: z.string(), balance: z.string() });
export const ledgerBalancesSchema = z
  .object({ profileId: uuidSchema, balances: z.array(ledgerBalanceSchema), freeCapital: z.record(z.string(), z.string()).describe('cash per currency') })
  .meta({ id: 'LedgerBalances' });
export const ledgerEntrySchema = z.object({ id: z.string(), transactionId: z.string(), kind: z.string(), account: z.string(), currency: z.string(), amount: z.string(), at: z.string() });
export const ledgerEntryQuerySchema = z.object({ profileId: uuidSchema, account: z.string().max(80).optional(), limit: limitSchema, cursor: z.string().regex(/^\d{1,19}$/).optional() }).strict();
export const ledgerEntryPageSchema = z.object({ items: z.array(ledgerEntrySchema), nextCursor: z.string().nullable() }).meta({ id: 'LedgerEntryPage' });
export const profileIdQuerySchema = z.object({ profileId: uuidSchema }).strict();
export const positionQuerySchema = z.object({ profileId: uuidSchema.optional() }).strict();

/** Pushed on /trading (tenant room and `profile:<id>`) when a fill is booked. */
export const fillEventSchema = fillSchema.extend({ orderId: uuidSchema, profileId: uuidSchema.nullable(), clientOrderId: z.string() }).meta({ id: 'FillEvent' });
export type FillEvent = z.infer<typeof fillEventSchema>;
