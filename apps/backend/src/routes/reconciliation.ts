import {
  idParamsSchema,
  reconciliationRunDetailSchema,
  reconciliationRunPageSchema,
  reconciliationRunQuerySchema,
  startReconciliationRequestSchema,
} from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import { caller } from '../plugins/auth.ts';
import type { ReconciliationService } from '../trading/reconciliation/reconciliation-service.ts';
import { errorResponses } from './error-responses.ts';

/** Reading runs: the people who act on them (traders for their bots, admins, operators); starting one: admins and operators. */
const READERS = ['trader', 'admin', 'operator'] as const;
const RUNNERS = ['admin', 'operator'] as const;
const tags = ['reconciliation'];
const security = [{ bearer: [] }];

export function registerReconciliationRoutes(app: KestrelServer, deps: { reconciliation: ReconciliationService }) {
  app.get(
    '/api/reconciliation/runs',
    {
      config: { access: READERS },
      schema: {
        tags,
        security,
        summary: "Reconciliation runs of the caller's tenant, newest first; filter by exchange account and status; cursor pagination by (startedAt, id)",
        querystring: reconciliationRunQuerySchema,
        response: { 200: reconciliationRunPageSchema, ...errorResponses },
      },
    },
    async (req) => deps.reconciliation.list(caller(req), req.query),
  );

  app.get(
    '/api/reconciliation/runs/:id',
    {
      config: { access: READERS },
      schema: { tags, security, summary: 'One reconciliation run with every discrepancy it found and what it did about each', params: idParamsSchema, response: { 200: reconciliationRunDetailSchema, ...errorResponses } },
    },
    async (req) => deps.reconciliation.get(caller(req), req.params.id),
  );

  app.post(
    '/api/reconciliation/runs',
    {
      config: { access: RUNNERS },
      schema: {
        tags,
        security,
        summary:
          'Reconcile one exchange account now: local orders against the venue, missing fills, venue-only orders, lifecycle histories. Answers 201 with the stored run; a venue that does not answer gives a run with status `failed` and its error (the account does not trade until a run succeeds). Audited; pushed as `reconciliation.run` on /admin.',
        body: startReconciliationRequestSchema,
        response: { 201: reconciliationRunDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await deps.reconciliation.runNow({ ...caller(req), requestId: req.id }, req.body.exchangeAccountId)),
  );
}
