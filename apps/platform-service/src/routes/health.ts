import { healthSchema } from '@kestrel/contracts';
import type { Database } from '@kestrel/db';
import type { KestrelServer } from '@kestrel/server-kit';

/** A database that does not answer within this is reported down instead of hanging the probe. */
const PING_TIMEOUT_MS = 2_000;

export function registerHealthRoutes(app: KestrelServer, deps: { database: Database }): void {
  app.get(
    '/health',
    {
      // Probes from orchestrators must never be rate limited into a restart loop.
      config: { rateLimit: false },
      schema: { tags: ['health'], summary: 'Liveness and database check', response: { 200: healthSchema, 503: healthSchema } },
    },
    async (req, reply) => {
      try {
        const latencyMs = await withTimeout(deps.database.ping(), PING_TIMEOUT_MS);
        return { status: 'ok' as const, checks: { database: { ok: true, latencyMs: Math.round(latencyMs * 100) / 100 } } };
      } catch (err) {
        req.log.warn({ err }, 'health: database check failed');
        return reply.status(503).send({ status: 'down', checks: { database: { ok: false, error: 'database unreachable' } } });
      }
    },
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
