import rateLimit from '@fastify/rate-limit';
import { AppError } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';

/**
 * Two limits: per client IP (before authentication, so floods are cheap to refuse) and per user
 * (after authentication, so one user cannot starve others behind the same IP or NAT). Both answer
 * 429 RATE_LIMITED with Retry-After. In-memory per instance; put a shared store behind it when
 * running several instances.
 */
export async function registerRateLimits(app: KestrelServer, limits: { ipPerMinute: number; userPerMinute: number }): Promise<void> {
  await app.register(rateLimit, { global: false });
  const errorResponseBuilder = (_req: unknown, ctx: { ttl: number }) =>
    new AppError('RATE_LIMITED', undefined, { headers: { 'retry-after': String(Math.max(1, Math.ceil(ctx.ttl / 1000))) } });
  if (limits.ipPerMinute > 0) {
    app.addHook(
      'onRequest',
      app.rateLimit({ max: limits.ipPerMinute, timeWindow: 60_000, keyGenerator: (req) => `ip:${req.ip}`, errorResponseBuilder }),
    );
  }
  if (limits.userPerMinute > 0) {
    const perUser = app.rateLimit({
      max: limits.userPerMinute,
      timeWindow: 60_000,
      keyGenerator: (req) => `user:${req.auth?.userId ?? req.ip}`,
      errorResponseBuilder,
    });
    app.addHook('preHandler', async (req, reply) => {
      if (req.auth) await perUser.call(app, req, reply);
    });
  }
}
