import { z } from 'zod';
import { createProfileRequestSchema, idParamsSchema, profileActionRequestSchema, profileListSchema, profileSchema, updateProfileRequestSchema } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import { ANY_ROLE, caller } from '../plugins/auth.ts';
import type { ProfileAction, ProfileService } from '../services/profiles.ts';
import { errorResponses } from './error-responses.ts';

const TRADERS = ['trader', 'admin', 'operator'] as const;
const tags = ['profiles'];
const security = [{ bearer: [] }];
const conflict = { 409: errorResponses[400] };

export function registerProfileRoutes(app: KestrelServer, deps: { profiles: ProfileService }) {
  app.get(
    '/api/profiles',
    { config: { access: ANY_ROLE }, schema: { tags, security, summary: "The tenant's profiles (bots) and their state", response: { 200: profileListSchema, ...errorResponses } } },
    async (req) => ({ items: await deps.profiles.list(caller(req)) }),
  );

  app.post(
    '/api/profiles',
    {
      config: { access: TRADERS },
      schema: {
        tags,
        security,
        summary: "Create a profile (stopped): strategy parameters are checked by the strategy's schema (400 STRATEGY_PARAMS_INVALID with the issues); the capital allocation is deposited in its ledger",
        body: createProfileRequestSchema,
        response: { 201: profileSchema, ...conflict, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await deps.profiles.create({ ...caller(req), requestId: req.id }, req.body)),
  );

  app.get(
    '/api/profiles/:id',
    { config: { access: ANY_ROLE }, schema: { tags, security, summary: 'One profile', params: idParamsSchema, response: { 200: profileSchema, ...errorResponses } } },
    async (req) => deps.profiles.get(caller(req), req.params.id),
  );

  app.patch(
    '/api/profiles/:id',
    {
      config: { access: TRADERS },
      schema: {
        tags,
        security,
        summary: 'Change a profile (fields not sent stay); send `version` to refuse the change if someone else changed it first (409)',
        params: idParamsSchema,
        body: updateProfileRequestSchema,
        response: { 200: profileSchema, ...conflict, ...errorResponses },
      },
    },
    async (req) => deps.profiles.update({ ...caller(req), requestId: req.id }, req.params.id, req.body),
  );

  app.delete(
    '/api/profiles/:id',
    {
      config: { access: TRADERS },
      schema: { tags, security, summary: 'Delete a stopped profile without open orders (its history stays)', params: idParamsSchema, response: { 204: z.null().describe('deleted'), ...conflict, ...errorResponses } },
    },
    async (req, reply) => {
      await deps.profiles.delete({ ...caller(req), requestId: req.id }, req.params.id);
      return reply.status(204).send(null);
    },
  );

  for (const action of ['start', 'stop', 'pause'] as const satisfies readonly ProfileAction[]) {
    app.post(
      `/api/profiles/:id/${action}`,
      {
        config: { access: TRADERS },
        schema: {
          tags,
          security,
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} the profile (audited, pushed as profile.state on /trading)`,
          params: idParamsSchema,
          body: profileActionRequestSchema.nullish(),
          response: { 200: profileSchema, ...conflict, ...errorResponses },
        },
      },
      async (req) => deps.profiles.act({ ...caller(req), requestId: req.id }, req.params.id, action, req.body?.reason),
    );
  }
}
