import { idParamsSchema, pnlQuerySchema, profilePnlSchema, tenantPnlSchema } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import { ANY_ROLE, caller } from '../plugins/auth.ts';
import type { PnlService } from '../services/pnl.ts';
import { errorResponses } from './error-responses.ts';

const security = [{ bearer: [] }];

export function registerPnlRoutes(app: KestrelServer, deps: { pnl: PnlService }) {
  app.get(
    '/api/profiles/:id/pnl',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['profiles'],
        security,
        summary:
          "A profile's P&L in its quote currency: realized (ledger), unrealized (positions at the market's last price: `markPrice`, `markTime`, `stale` when older than the threshold), fees, net, equity, and one row per UTC day of the last `days` days",
        params: idParamsSchema,
        querystring: pnlQuerySchema,
        response: { 200: profilePnlSchema, ...errorResponses },
      },
    },
    async (req) => deps.pnl.profile(caller(req).tenantId, req.params.id, req.query.days),
  );

  app.get(
    '/api/pnl',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['ledger'],
        security,
        summary: "The tenant's P&L: every profile's, and their sums per quote currency, with per-day rows per currency",
        querystring: pnlQuerySchema,
        response: { 200: tenantPnlSchema, ...errorResponses },
      },
    },
    async (req) => deps.pnl.tenant(caller(req).tenantId, req.query.days),
  );
}
