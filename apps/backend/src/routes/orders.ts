import {
  AppError,
  decisionPageSchema,
  decisionQuerySchema,
  idempotencyKeySchema,
  idParamsSchema,
  IDEMPOTENCY_KEY_HEADER,
  ledgerBalancesSchema,
  ledgerEntryPageSchema,
  ledgerEntryQuerySchema,
  orderDetailSchema,
  orderPageSchema,
  orderQuerySchema,
  orderSchema,
  placeOrderRequestSchema,
  placeOrderResponseSchema,
  positionListSchema,
  positionQuerySchema,
  profileIdQuerySchema,
} from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import { z } from 'zod';
import { ANY_ROLE, caller } from '../plugins/auth.ts';
import type { IdempotencyService } from '../services/idempotency.ts';
import type { LedgerQueries } from '../services/ledger-queries.ts';
import type { OrderService } from '../services/orders.ts';
import { errorResponses } from './error-responses.ts';

const TRADERS = ['trader', 'admin', 'operator'] as const;
const security = [{ bearer: [] }];
const refusals = { 409: errorResponses[400], 422: errorResponses[400] };

export function registerOrderRoutes(app: KestrelServer, deps: { orders: OrderService; ledger: LedgerQueries; idempotency: IdempotencyService }) {
  app.post(
    '/api/orders',
    {
      config: { access: TRADERS },
      schema: {
        tags: ['orders'],
        security,
        summary:
          'Place a manual order on a profile (rules, risk engine and capital reservation apply). Requires `Idempotency-Key`: a repeat with the same key and body replays the first response (header `Idempotent-Replayed: true`); another body → 422 IDEMPOTENCY_KEY_REUSED. A denial is 422 ORDER_DENIED with the decision.',
        headers: z.object({ [IDEMPOTENCY_KEY_HEADER]: z.string().optional().describe('1–128 characters of A-Z a-z 0-9 . _ : -') }),
        body: placeOrderRequestSchema,
        response: { 201: placeOrderResponseSchema, ...refusals, ...errorResponses },
      },
    },
    async (req, reply) => {
      const key = idempotencyKeySchema.safeParse(req.headers[IDEMPOTENCY_KEY_HEADER]);
      if (!key.success) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
      const actor = { ...caller(req), requestId: req.id };
      const r = await deps.idempotency.run(actor, key.data, { method: 'POST', path: '/api/orders', body: req.body }, async () => ({ statusCode: 201, body: await deps.orders.place(actor, req.body, key.data) }), () => deps.orders.recoverByKey(actor, key.data));
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(r.statusCode).send(r.body as z.infer<typeof placeOrderResponseSchema>);
    },
  );

  app.post(
    '/api/orders/:id/cancel',
    {
      config: { access: TRADERS },
      schema: { tags: ['orders'], security, summary: "Cancel an open order; the venue's answer decides the final state (a fill may win the race)", params: idParamsSchema, response: { 200: orderSchema, ...refusals, ...errorResponses } },
    },
    async (req) => deps.orders.cancel({ ...caller(req), requestId: req.id }, req.params.id),
  );

  app.get(
    '/api/orders',
    {
      config: { access: ANY_ROLE },
      schema: { tags: ['orders'], security, summary: 'Orders, newest first; filters; cursor pagination by (created_at, id)', querystring: orderQuerySchema, response: { 200: orderPageSchema, ...errorResponses } },
    },
    async (req) => deps.orders.list(caller(req), req.query),
  );

  app.get(
    '/api/orders/:id',
    { config: { access: ANY_ROLE }, schema: { tags: ['orders'], security, summary: 'One order with its lifecycle history and fills', params: idParamsSchema, response: { 200: orderDetailSchema, ...errorResponses } } },
    async (req) => deps.orders.get(caller(req), req.params.id),
  );

  app.get(
    '/api/profiles/:id/decisions',
    {
      config: { access: ANY_ROLE },
      schema: { tags: ['profiles'], security, summary: 'Why the bot did (not) trade: every decision, newest first, with its stable code and reason', params: idParamsSchema, querystring: decisionQuerySchema, response: { 200: decisionPageSchema, ...errorResponses } },
    },
    async (req) => deps.orders.decisions(caller(req), req.params.id, req.query),
  );

  app.get(
    '/api/positions',
    { config: { access: ANY_ROLE }, schema: { tags: ['ledger'], security, summary: 'Positions of the tenant’s profiles (optionally one profile)', querystring: positionQuerySchema, response: { 200: positionListSchema, ...errorResponses } } },
    async (req) => deps.ledger.positions(caller(req).tenantId, req.query.profileId),
  );

  app.get(
    '/api/ledger/balances',
    { config: { access: ANY_ROLE }, schema: { tags: ['ledger'], security, summary: "A profile's ledger balances per account and currency, and its free capital", querystring: profileIdQuerySchema, response: { 200: ledgerBalancesSchema, ...errorResponses } } },
    async (req) => deps.ledger.balances(caller(req).tenantId, req.query.profileId),
  );

  app.get(
    '/api/ledger/entries',
    { config: { access: ANY_ROLE }, schema: { tags: ['ledger'], security, summary: "A profile's ledger entries, newest first", querystring: ledgerEntryQuerySchema, response: { 200: ledgerEntryPageSchema, ...errorResponses } } },
    async (req) => deps.ledger.entries(caller(req).tenantId, req.query),
  );
}
