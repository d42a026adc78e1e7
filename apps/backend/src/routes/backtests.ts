import { z } from 'zod';
import {
  backtestComparisonSchema,
  backtestDetailSchema,
  backtestListQuerySchema,
  backtestPageSchema,
  backtestSummarySchema,
  compareBacktestsQuerySchema,
  createBacktestRequestSchema,
  createSweepRequestSchema,
  idParamsSchema,
  sweepDetailSchema,
} from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import type { BacktestService } from '../backtests/backtest-service.ts';
import type { RunKind } from '../backtests/run-store.ts';
import { ANY_ROLE, caller } from '../plugins/auth.ts';
import { errorResponses } from './error-responses.ts';

/** Submitting, cancelling and deleting runs: traders and admins; every role of the tenant reads them. */
const RUNNERS = ['trader', 'admin'] as const;
const security = [{ bearer: [] }];
const conflict = { 409: errorResponses[400] };
const PUSHES = 'Progress is pushed as `backtest.progress` (at most every 250 ms) and the end as `backtest.finished`, on /trading in the tenant room.';

/**
 * `/api/backtests` and `/api/sweeps`: the same family of routes for both kinds of run (submit,
 * list, detail, cancel, delete), plus a comparison of completed backtests.
 */
export function registerBacktestRoutes(app: KestrelServer, deps: { backtests: BacktestService }) {
  const { backtests } = deps;

  app.post(
    '/api/backtests',
    {
      config: { access: RUNNERS },
      schema: {
        tags: ['backtests'],
        security,
        summary: `Submit a backtest of a profile (\`profileId\`) or of a strategy on symbols: checked at once (strategy, parameters, symbols and range; nothing is stored when refused), answered 202 with status \`queued\`, run in a worker thread. ${PUSHES}`,
        body: createBacktestRequestSchema,
        response: { 202: backtestSummarySchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(202).send(await backtests.submitBacktest({ ...caller(req), requestId: req.id }, req.body)),
  );

  app.post(
    '/api/sweeps',
    {
      config: { access: RUNNERS },
      schema: {
        tags: ['backtests'],
        security,
        summary: `Submit a parameter sweep: every combination of a grid (or a seeded random sample) backtested on the in-sample range over the worker threads, ranked by \`rankBy\` (ties to the smaller parameters), the best \`topN\` re-run out of sample. Answered 202 with status \`queued\`. ${PUSHES}`,
        body: createSweepRequestSchema,
        response: { 202: backtestSummarySchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(202).send(await backtests.submitSweep({ ...caller(req), requestId: req.id }, req.body)),
  );

  app.get(
    '/api/backtests/compare',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['backtests'],
        security,
        summary: 'Completed backtests side by side: their metrics and equity curves, in the order of `ids` (409 when one has not completed)',
        querystring: compareBacktestsQuerySchema,
        response: { 200: backtestComparisonSchema, ...conflict, ...errorResponses },
      },
    },
    async (req) => backtests.compare(caller(req), req.query.ids),
  );

  app.get(
    '/api/backtests/:id',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['backtests'],
        security,
        summary: 'One backtest: status and progress, its settings, and once completed its result (metrics, equity curve with drawdown, trades, open positions, orders, fills, denials)',
        params: idParamsSchema,
        response: { 200: backtestDetailSchema, ...errorResponses },
      },
    },
    async (req) => backtests.backtest(caller(req), req.params.id),
  );

  app.get(
    '/api/sweeps/:id',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['backtests'],
        security,
        summary: 'One sweep: status and progress, its space and settings, and once completed the ranked table of every combination and the out-of-sample table',
        params: idParamsSchema,
        response: { 200: sweepDetailSchema, ...errorResponses },
      },
    },
    async (req) => backtests.sweep(caller(req), req.params.id),
  );

  for (const [kind, base] of [
    ['backtest', '/api/backtests'],
    ['sweep', '/api/sweeps'],
  ] as const satisfies ReadonlyArray<readonly [RunKind, string]>) {
    app.get(
      base,
      {
        config: { access: ANY_ROLE },
        schema: {
          tags: ['backtests'],
          security,
          summary: `The tenant's ${kind}s, newest first, without their results (metrics included); filter by status; cursor pagination`,
          querystring: backtestListQuerySchema,
          response: { 200: backtestPageSchema, ...errorResponses },
        },
      },
      async (req) => backtests.list(caller(req), kind, req.query),
    );

    app.post(
      `${base}/:id/cancel`,
      {
        config: { access: RUNNERS },
        schema: {
          tags: ['backtests'],
          security,
          summary: `Cancel a queued or running ${kind}: a queued one leaves the queue, a running one's worker threads are terminated before the answer. 409 when it has already finished.`,
          params: idParamsSchema,
          response: { 200: backtestSummarySchema, ...conflict, ...errorResponses },
        },
      },
      async (req) => backtests.cancel(caller(req), kind, req.params.id),
    );

    app.delete(
      `${base}/:id`,
      {
        config: { access: RUNNERS },
        schema: {
          tags: ['backtests'],
          security,
          summary: `Delete a ${kind} and its stored results (a queued or running one is cancelled first)`,
          params: idParamsSchema,
          response: { 204: z.null().describe('deleted'), ...errorResponses },
        },
      },
      async (req, reply) => {
        await backtests.delete(caller(req), kind, req.params.id);
        return reply.status(204).send(null);
      },
    );
  }
}
