import { z } from 'zod';
import { uuidSchema } from './auth.ts';

export const RECONCILIATION_TRIGGERS = ['startup', 'periodic', 'manual'] as const;
export const RECONCILIATION_STATUSES = ['running', 'succeeded', 'failed'] as const;

/**
 * What a reconciliation run found. Kinds are stable (dashboards and alerts switch on them):
 * - `order_state`: a local open order whose venue state differed; the venue's state was applied;
 * - `missing_fill`: a venue trade that was not booked locally; booked now;
 * - `fill_mismatch`: the venue's filled quantity of an order still differs after its trades were booked;
 * - `order_lost`: sent, but the venue does not know it (past the not-found window): expired `LOST: …`;
 * - `order_never_sent`: still `new` and unknown to the venue: rejected `NEVER_SENT: …`, never sent later;
 * - `order_not_found`: unknown to the venue but too recent to decide: left for the next run;
 * - `unknown_venue_order`: open at the venue, unknown locally: adopted when its client order id is
 *   one of this tenant's profiles on this account, else flagged (never cancelled silently);
 * - `zombie_venue_order`: finished locally but open at the venue: cancelled at the venue;
 * - `unknown_trade`: a venue trade of an order nobody here knows;
 * - `trade_refused`: a venue trade the order state machine refuses (overfill, fill of a rejected order);
 * - `lifecycle_invalid`: a stored lifecycle history that breaks the order state machine.
 */
export const DISCREPANCY_KINDS = [
  'order_state',
  'missing_fill',
  'fill_mismatch',
  'order_lost',
  'order_never_sent',
  'order_not_found',
  'unknown_venue_order',
  'zombie_venue_order',
  'unknown_trade',
  'trade_refused',
  'lifecycle_invalid',
] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** What the run did about it: `flagged` means nothing was changed and a person should look. */
export const DISCREPANCY_RESOLUTIONS = ['applied', 'adopted', 'expired', 'rejected', 'cancelled', 'deferred', 'flagged'] as const;
export type DiscrepancyResolution = (typeof DISCREPANCY_RESOLUTIONS)[number];

const count = z.number().int().nonnegative();
export const reconciliationSummarySchema = z
  .object({
    localOpenOrders: count.describe('local open orders compared with the venue'),
    venueOpenOrders: count,
    ordersUpdated: count.describe('local orders that took the venue state'),
    ordersLost: count,
    ordersNeverSent: count,
    ordersDeferred: count,
    venueOrdersAdopted: count,
    venueOrdersFlagged: count,
    venueOrdersCancelled: count,
    tradesSeen: count,
    tradesApplied: count,
    tradesDuplicate: count,
    tradesUnmatched: count.describe('trades of unknown orders, and trades the state machine refused'),
    ordersLifecycleChecked: count,
    lifecycleInvalid: count,
    discrepancies: count,
  })
  .meta({ id: 'ReconciliationSummary' });
export type ReconciliationSummary = z.infer<typeof reconciliationSummarySchema>;

export const reconciliationDiscrepancySchema = z
  .object({
    id: z.string(),
    kind: z.enum(DISCREPANCY_KINDS),
    orderId: uuidSchema.nullable(),
    clientOrderId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).describe('what differed (local and venue values, problems) and a `message`'),
    resolution: z.enum(DISCREPANCY_RESOLUTIONS).nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ReconciliationDiscrepancy' });
export type ReconciliationDiscrepancy = z.infer<typeof reconciliationDiscrepancySchema>;

export const reconciliationRunSchema = z
  .object({
    id: uuidSchema,
    exchangeAccountId: uuidSchema,
    trigger: z.enum(RECONCILIATION_TRIGGERS),
    status: z.enum(RECONCILIATION_STATUSES),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    summary: reconciliationSummarySchema.nullable(),
    error: z.string().nullable().describe('why the run failed and what to do; null unless failed'),
    discrepancyCount: count,
  })
  .meta({ id: 'ReconciliationRun' });
export type ReconciliationRun = z.infer<typeof reconciliationRunSchema>;

export const reconciliationRunDetailSchema = reconciliationRunSchema.extend({ discrepancies: z.array(reconciliationDiscrepancySchema) }).meta({ id: 'ReconciliationRunDetail' });
export type ReconciliationRunDetail = z.infer<typeof reconciliationRunDetailSchema>;

export const reconciliationRunQuerySchema = z
  .object({
    exchangeAccountId: uuidSchema.optional(),
    status: z.enum(RECONCILIATION_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();
export const reconciliationRunPageSchema = z.object({ items: z.array(reconciliationRunSchema), nextCursor: z.string().nullable() }).meta({ id: 'ReconciliationRunPage' });

export const startReconciliationRequestSchema = z.object({ exchangeAccountId: uuidSchema }).strict().meta({ id: 'StartReconciliationRequest' });
export type StartReconciliationRequest = z.infer<typeof startReconciliationRequestSchema>;

/** Pushed on /admin to the tenant room when a run finishes (succeeded or failed). */
export const RECONCILIATION_RUN_EVENT = 'reconciliation.run';
/** The pushed envelope is `socketEvents['/admin']['reconciliation.run']` (socket.ts). */
export const reconciliationRunEventDataSchema = reconciliationRunSchema;
