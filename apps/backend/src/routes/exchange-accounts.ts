import { createExchangeAccountRequestSchema, exchangeAccountListSchema, exchangeAccountSchema, idParamsSchema } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import { z } from 'zod';
import { ANY_ROLE, caller } from '../plugins/auth.ts';
import type { ExchangeAccountService } from '../services/exchange-accounts.ts';
import { errorResponses } from './error-responses.ts';

const TRADERS = ['trader', 'admin', 'operator'] as const;
const tags = ['exchange-accounts'];
const security = [{ bearer: [] }];

export function registerExchangeAccountRoutes(app: KestrelServer, deps: { accounts: ExchangeAccountService }) {
  app.get(
    '/api/exchange-accounts',
    { config: { access: ANY_ROLE }, schema: { tags, security, summary: "The tenant's exchange accounts (keys and secrets are never returned)", response: { 200: exchangeAccountListSchema, ...errorResponses } } },
    async (req) => ({ items: await deps.accounts.list(caller(req)) }),
  );

  app.post(
    '/api/exchange-accounts',
    {
      config: { access: TRADERS },
      schema: {
        tags,
        security,
        summary: 'Add an exchange account: paper (traders) or live with API key and secret (admins; stored encrypted, never returned)',
        body: createExchangeAccountRequestSchema,
        response: { 201: exchangeAccountSchema, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await deps.accounts.create({ ...caller(req), requestId: req.id }, req.body)),
  );

  app.get(
    '/api/exchange-accounts/:id',
    { config: { access: ANY_ROLE }, schema: { tags, security, summary: 'One exchange account', params: idParamsSchema, response: { 200: exchangeAccountSchema, ...errorResponses } } },
    async (req) => deps.accounts.get(caller(req), req.params.id),
  );

  app.delete(
    '/api/exchange-accounts/:id',
    {
      config: { access: TRADERS },
      schema: {
        tags,
        security,
        summary: 'Delete an exchange account no profile or order uses (live accounts: admins)',
        params: idParamsSchema,
        response: { 204: z.null().describe('deleted'), 409: errorResponses[400], ...errorResponses },
      },
    },
    async (req, reply) => {
      await deps.accounts.delete({ ...caller(req), requestId: req.id }, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
