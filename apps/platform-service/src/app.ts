import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { z } from 'zod';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { AppError } from '@kestrel/contracts';
import type { Database } from '@kestrel/db';
import { createServer, type KestrelServer, type Logger } from '@kestrel/server-kit';
import type { PlatformConfig } from './config.ts';
import { createAuthGuard } from './http/auth-guard.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerJwksRoutes } from './routes/jwks.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerTenantRoutes } from './routes/tenants.ts';
import { registerUserRoutes } from './routes/users.ts';
import { createAuthService } from './services/auth.ts';
import { createKeyStore } from './services/keys.ts';
import { warmUpPasswords } from './services/passwords.ts';
import { createRefreshTokens } from './services/refresh-tokens.ts';
import { createTenantService } from './services/tenants.ts';
import { LoginThrottle } from './services/throttle.ts';
import { createAccessTokens } from './services/tokens.ts';
import { createUserService } from './services/users.ts';

export interface PlatformDeps {
  config: PlatformConfig;
  /** Migrated (`migrate(database, 'platform')`) before this is called. */
  database: Database;
  logger: Logger;
  /** Clock in ms; tests move it to expire tokens and throttle windows without waiting. */
  now?: () => number;
}

/**
 * platform-service: identity (tenants, users, sign-in) and the signer of access tokens that every
 * other service verifies through GET /.well-known/jwks.json. The returned server is not listening;
 * tests use `inject` or `listen({ port: 0 })`.
 */
export async function buildPlatformApp(deps: PlatformDeps): Promise<KestrelServer> {
  const { config, database, logger } = deps;
  const now = deps.now ?? Date.now;

  const keys = createKeyStore(database, { accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS, now });
  await keys.init();
  await warmUpPasswords();
  const accessTokens = createAccessTokens(keys, { issuer: config.JWT_ISSUER, ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS, now });
  const refreshTokens = createRefreshTokens(database, { ttlSeconds: config.REFRESH_TOKEN_TTL_SECONDS, now });
  const throttle = new LoginThrottle({
    maxFailuresPerUser: config.LOGIN_MAX_FAILURES_PER_USER,
    maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
    windowSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS,
    now,
  });
  const users = createUserService(database, refreshTokens);
  const tenants = createTenantService(database, refreshTokens);
  const auth = createAuthService({ database, accessTokens, refreshTokens, throttle, accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS });
  const guard = createAuthGuard(accessTokens, users);

  const app = createServer({ logger, trustProxy: config.TRUST_PROXY });

  // Both plugins act through onRoute hooks, so they are loaded before any route is added.
  await app.register(swagger, {
    openapi: {
      info: { title: 'Kestrel platform-service', version: '0.1.0', description: 'Tenants, users, sign-in and access-token signing keys.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // Per client IP and per instance (in-memory store): a coarse flood guard in front of the
  // finer login throttle. /health opts out.
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, context) =>
      new AppError('RATE_LIMITED', undefined, { headers: { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) } }),
  });

  registerHealthRoutes(app, { database });
  registerJwksRoutes(app, { keys });
  registerAuthRoutes(app, { auth });
  registerKeyRoutes(app, { keys, guard });
  registerTenantRoutes(app, { tenants, guard });
  registerUserRoutes(app, { users, guard });

  app.get(
    '/docs/json',
    { schema: { hide: true, response: { 200: z.looseObject({ openapi: z.string() }) } } },
    async () => app.swagger() as { openapi: string },
  );

  return app;
}
