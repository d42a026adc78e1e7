import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@kestrel/contracts';
import { isProbe, type KestrelServer } from '@kestrel/server-kit';

/**
 * Two limits: per client IP (before authentication, so floods are cheap to refuse) and per user
 * (after authentication, so one user cannot starve others behind the same IP or NAT). Both answer
 * 429 RATE_LIMITED with Retry-After. Counters are in memory per instance (@fastify/rate-limit's
 * local store); give it a Redis store when running several instances.
 */
export async function registerRateLimits(app: KestrelServer, limits: { ipPerMinute: number; userPerMinute: number }): Promise<void> {
  await app.register(rateLimit, { global: false });
  const limiter = (max: number, keyGenerator: (req: FastifyRequest) => string) => {
    const check = app.createRateLimit({ max, timeWindow: 60_000, keyGenerator });
    return async (req: FastifyRequest) => {
      const r = await check(req);
      if (!r.isAllowed && r.isExceeded) {
        throw new AppError('RATE_LIMITED', undefined, { headers: { 'retry-after': String(Math.max(1, r.ttlInSeconds)) } });
      }
    };
  };
  if (limits.ipPerMinute > 0) {
    const perIp = limiter(limits.ipPerMinute, (req) => `ip:${req.ip}`);
    // Probes (orchestrator health checks, Prometheus scrapes) must never be refused.
    app.addHook('onRequest', async (req) => {
      if (!isProbe(req.url)) await perIp(req);
    });
  }
  if (limits.userPerMinute > 0) {
    const perUser = limiter(limits.userPerMinute, (req) => `user:${req.auth?.userId ?? req.ip}`);
    // preHandler runs after the route's auth guard (onRequest), so the user is known.
    app.addHook('preHandler', async (req) => {
      if (req.auth) await perUser(req);
    });
  }
}
