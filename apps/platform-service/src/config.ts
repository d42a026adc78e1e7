import { z } from 'zod';
import { booleanString, logLevelSchema, parseEnv, portSchema } from '@kestrel/server-kit';

/**
 * platform-service environment. This is the only module that reads `process.env`; everything else
 * receives a `PlatformConfig`, so tests build configs without touching the process.
 *
 *   PLATFORM_HOST=127.0.0.1                 interface to listen on
 *   PLATFORM_PORT=4003                      port (0 = any free port)
 *   DATABASE_URL=                           PostgreSQL URL; empty/absent = embedded PGlite
 *   PLATFORM_DATA_DIR=.data/platform        PGlite data folder (used only without DATABASE_URL)
 *   LOG_LEVEL=info                          fatal|error|warn|info|debug|trace|silent
 *   JWT_ISSUER=http://localhost:4003        `iss` of access tokens; verifiers must expect the same
 *   ACCESS_TOKEN_TTL_SECONDS=900            access token lifetime
 *   REFRESH_TOKEN_TTL_SECONDS=2592000       refresh token lifetime (30 days, renewed on each rotation)
 *   LOGIN_MAX_FAILURES_PER_USER=5           failed logins per username per window before 429
 *   LOGIN_MAX_FAILURES_PER_IP=20            failed logins per client IP per window before 429
 *   LOGIN_THROTTLE_WINDOW_SECONDS=900       sliding window of the two limits above
 *   SEED_DEMO=true                          create the demo tenant and users on first start
 *   RATE_LIMIT_PER_MINUTE=600               requests per client IP per minute, all routes but /health
 *   TRUST_PROXY=false                       true only behind a reverse proxy that sets X-Forwarded-For;
 *                                           otherwise a client could forge its IP and dodge per-IP limits
 */

/** `.env` files often carry `DATABASE_URL=`: an empty value means "not set", not "invalid URL". */
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());
const positiveInt = z.coerce.number().int().positive();

export const platformConfigSchema = z.object({
  PLATFORM_HOST: z.string().min(1).default('127.0.0.1'),
  PLATFORM_PORT: portSchema.default(4003),
  DATABASE_URL: optionalUrl,
  PLATFORM_DATA_DIR: z.string().min(1).default('.data/platform'),
  LOG_LEVEL: logLevelSchema.default('info'),
  JWT_ISSUER: z.string().min(1).default('http://localhost:4003'),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(2_592_000),
  LOGIN_MAX_FAILURES_PER_USER: positiveInt.default(5),
  LOGIN_MAX_FAILURES_PER_IP: positiveInt.default(20),
  LOGIN_THROTTLE_WINDOW_SECONDS: positiveInt.default(900),
  SEED_DEMO: booleanString.default(true),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(600),
  TRUST_PROXY: booleanString.default(false),
});

export type PlatformConfig = z.output<typeof platformConfigSchema>;

export function loadConfig(source: Record<string, string | undefined> = process.env): PlatformConfig {
  return parseEnv(platformConfigSchema, source, 'platform-service');
}
