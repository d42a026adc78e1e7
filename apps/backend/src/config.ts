import { z } from 'zod';
import { booleanString, logLevelSchema, parseEnv, portSchema } from '@kestrel/server-kit';

/**
 * The backend's settings. This is the only file of the backend that reads `process.env`; every
 * variable is listed with its default in .env.example at the repository root.
 */
/** `.env` files often carry `DATABASE_URL=`: an empty value means "not set", not "invalid URL". */
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());

export const backendEnvSchema = z.object({
  BACKEND_HOST: z.string().default('127.0.0.1'),
  BACKEND_PORT: portSchema.default(4018),
  DATABASE_URL: optionalUrl.describe('PostgreSQL; absent → embedded PGlite in BACKEND_DATA_DIR'),
  BACKEND_DATA_DIR: z.string().default('.data/backend'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: logLevelSchema.default('info'),
  PLATFORM_URL: z.url().default('http://127.0.0.1:4003'),
  JWT_ISSUER: z.string().min(1).default('http://localhost:4003'),
  JWKS_URL: optionalUrl.describe('defaults to PLATFORM_URL/.well-known/jwks.json'),
  JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  TOKEN_CACHE_SIZE: z.coerce.number().int().min(0).default(10_000),
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(0).default(1200).describe('0 disables'),
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(0).default(600).describe('0 disables'),
  PREFERENCES_CACHE_TTL_MS: z.coerce.number().int().min(0).default(30_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  TRUST_PROXY: booleanString.default(false),
  REDIS_URL: optionalUrl.describe('Redis: several backend instances share socket events and sequence numbers through it'),
  REDIS_KEY_PREFIX: z.string().default('kestrel:'),
  TRADING_RUNTIME: booleanString.default(true).describe('run trading loops, leases, kill-switch cancels and reconciliation in this instance'),
  INSTANCE_ID: z.string().min(1).max(200).optional().describe('this instance in the lease table; default <hostname>:<BACKEND_PORT> (stable across restarts)'),
  LEASE_TTL_MS: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
  LEASE_HEARTBEAT_MS: z.coerce.number().int().min(200).max(300_000).default(5_000),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1_000).default(60_000),
  BACKTEST_WORKERS: z.coerce.number().int().min(1).max(64).default(2).describe('worker threads running backtests and sweep combinations at once in this instance'),
  PAPER_MARKET: booleanString.default(true).describe('the embedded paper venue: historical candles replayed as a live market'),
  PAPER_REPLAY_SPEED: z.coerce.number().min(1).max(300_000).default(300).describe('300: the 5-minute bars of the data play as 1-second bars'),
  SEED_DEMO: booleanString.default(true).describe('give the demo tenant a paper account and a running demo bot on first start'),
  SERVE_WEB: booleanString.default(true).describe('serve the built web dashboard (WEB_DIST_DIR) at / with an SPA fallback'),
  WEB_DIST_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()).describe('the built dashboard; default apps/web/dist of this checkout'),
  EXCHANGE_SECRETS_KEY: z
    .preprocess((v) => (v === '' ? undefined : v), z.string().optional())
    .refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, '32 random bytes, base64 (openssl rand -base64 32)')
    .describe('AES-256-GCM key for exchange API keys at rest; required with DATABASE_URL, else kept in BACKEND_DATA_DIR/exchange-secrets.key'),
});

export type BackendConfig = z.output<typeof backendEnvSchema> & { jwksUrl: string };

export function loadConfig(source: Record<string, string | undefined> = process.env): BackendConfig {
  const env = parseEnv(backendEnvSchema, source, 'backend');
  if (env.DATABASE_URL && !env.EXCHANGE_SECRETS_KEY) {
    // A shared database outlives any one machine's data folder: the key must come from the environment.
    throw new Error('backend: invalid environment. Fix these variables (see .env.example):\n  - EXCHANGE_SECRETS_KEY: required when DATABASE_URL is set (openssl rand -base64 32)');
  }
  return { ...env, jwksUrl: env.JWKS_URL ?? new URL('/.well-known/jwks.json', env.PLATFORM_URL).toString() };
}

/** A fixed key for tests only (never used outside testConfig). */
const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

/** Defaults for tests, with overrides. */
export function testConfig(overrides: Partial<BackendConfig> = {}): BackendConfig {
  return { ...loadConfig({ LOG_LEVEL: 'silent', EXCHANGE_SECRETS_KEY: TEST_SECRETS_KEY }), ...overrides } as BackendConfig;
}
