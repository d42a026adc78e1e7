import { z } from 'zod';
import { loginRequestSchema, logoutRequestSchema, refreshRequestSchema, tokenPairSchema } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import type { AuthService } from '../services/auth.ts';
import { errorResponses } from './responses.ts';

export function registerAuthRoutes(app: KestrelServer, deps: { auth: AuthService }): void {
  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password',
        body: loginRequestSchema,
        response: { 200: tokenPairSchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    // req.ip is the socket peer unless TRUST_PROXY is set: the per-IP throttle trusts nothing else.
    async (req) => deps.auth.login(req.body, req.ip),
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new token pair (the old refresh token is consumed)',
        body: refreshRequestSchema,
        response: { 200: tokenPairSchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (req) => deps.auth.refresh(req.body.refreshToken),
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session of this refresh token (idempotent)',
        body: logoutRequestSchema,
        response: { 204: z.null().describe('signed out'), ...errorResponses(400, 429) },
      },
    },
    async (req, reply) => {
      await deps.auth.logout(req.body.refreshToken);
      return reply.status(204).send(null);
    },
  );
}
