import { normalizeTradingControlRequest, tradingControlSchema, updateTradingControlRequestSchema } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import { ANY_ROLE, caller } from '../plugins/auth.ts';
import type { TradingControlService } from '../services/trading-control.ts';
import { errorResponses } from './error-responses.ts';

export function registerTradingControlRoutes(app: KestrelServer, deps: { control: TradingControlService }) {
  app.get(
    '/api/trading/control',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['trading'],
        summary: 'The global and tenant trading switches',
        security: [{ bearer: [] }],
        response: { 200: tradingControlSchema, ...errorResponses },
      },
    },
    async (req) => deps.control.get(caller(req).tenantId),
  );

  app.put(
    '/api/trading/control',
    {
      config: { access: ['admin', 'operator'] },
      schema: {
        tags: ['trading'],
        summary:
          'Flip a kill switch: `{scope, tradingEnabled, killSwitchReason}` with scope global (operators) or tenant (admins), or `{globalTradingEnabled, killSwitchReason}`; audited and pushed to /trading and /admin',
        security: [{ bearer: [] }],
        body: updateTradingControlRequestSchema,
        response: { 200: tradingControlSchema, ...errorResponses },
      },
    },
    async (req) => deps.control.update({ ...caller(req), requestId: req.id }, normalizeTradingControlRequest(req.body)),
  );
}
