import { z } from 'zod';
import { healthSchema } from '@kestrel/contracts';
import type { Database } from '@kestrel/db';
import type { KestrelServer } from '@kestrel/server-kit';
import type { PlatformClient } from '../services/platform-client.ts';

export function registerHealthRoutes(app: KestrelServer, deps: { database: Database; platform: PlatformClient; jwksUrl: string }) {
  app.get(
    '/health/live',
    { config: { access: 'public' }, schema: { tags: ['health'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Ready to serve: the database and platform-service JWKS answer',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_req, reply) => {
      const [database, jwks] = await Promise.all([
        deps.database
          .ping()
          .then((latencyMs) => ({ ok: true, latencyMs }))
          .catch((err: unknown) => ({ ok: false, error: err instanceof Error ? err.message : 'unreachable' })),
        deps.platform.jwksReachable(deps.jwksUrl),
      ]);
      const ok = database.ok && jwks.ok;
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'down', checks: { database, platformJwks: jwks } });
    },
  );
}
