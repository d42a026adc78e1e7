import { z } from 'zod';
import type { KestrelServer } from '@kestrel/server-kit';
import type { AuthGuard } from '../http/auth-guard.ts';
import type { KeyStore } from '../services/keys.ts';
import { errorResponses, guardedErrors } from './responses.ts';

const rotateResponseSchema = z
  .object({ kid: z.string().describe('the new active key'), retiredKid: z.string().nullable().describe('the key retired by this rotation') })
  .meta({ id: 'KeyRotation' });

export function registerKeyRoutes(app: KestrelServer, deps: { keys: KeyStore; guard: AuthGuard }): void {
  app.post(
    '/keys/rotate',
    {
      onRequest: deps.guard.requireRoles('operator'),
      schema: {
        tags: ['keys'],
        summary: 'Make a new signing key active; the old one stays in the JWKS until its tokens expire',
        security: [{ bearer: [] }],
        response: { 200: rotateResponseSchema, ...errorResponses(...guardedErrors) },
      },
    },
    async (req) => {
      const result = await deps.keys.rotate();
      req.log.info({ kid: result.kid, retiredKid: result.retiredKid, by: deps.guard.actorOf(req).userId }, 'signing key rotated');
      return result;
    },
  );
}
