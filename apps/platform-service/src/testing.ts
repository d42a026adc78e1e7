/**
 * Test fixture (not used in production): a platform-service on a fresh, migrated and seeded test
 * database, with captured logs and a movable clock. The platform tests use it through `inject`;
 * tooling/test-stack wraps it with a real listener for the other services' tests.
 */
import { migrate, type DbKind } from '@kestrel/db';
import { createTestDatabase, type TestDatabase } from '@kestrel/db/testing';
import { createLogger, type KestrelServer } from '@kestrel/server-kit';
import { buildPlatformApp } from './app.ts';
import { loadConfig, type PlatformConfig } from './config.ts';
import { seedDemo } from './seed.ts';

export type LogLine = Record<string, unknown> & { msg?: string; requestId?: string; level?: number };

export interface TestClock {
  now(): number;
  /** Moves the service's clock forward (token expiry, throttle windows, key retention). */
  advance(ms: number): void;
}

export interface PlatformFixture {
  app: KestrelServer;
  database: TestDatabase;
  config: PlatformConfig;
  /** Every log line the service wrote, parsed (level `info` unless config.LOG_LEVEL says otherwise). */
  logs: LogLine[];
  clock: TestClock;
  close(): Promise<void>;
}

export interface PlatformFixtureOptions {
  kind: DbKind;
  config?: Partial<PlatformConfig>;
  /** Seed the demo tenant (default true). */
  seed?: boolean;
}

/**
 * Test defaults: a short access-token lifetime, and flood limits high enough that a test suite
 * signing in many times from 127.0.0.1 is not throttled (tests of the limits lower them).
 */
export const TEST_CONFIG_DEFAULTS: Partial<PlatformConfig> = {
  LOG_LEVEL: 'info',
  JWT_ISSUER: 'http://platform.kestrel.test',
  ACCESS_TOKEN_TTL_SECONDS: 120,
  LOGIN_MAX_FAILURES_PER_IP: 1_000,
  RATE_LIMIT_PER_MINUTE: 100_000,
};

export async function createPlatformFixture(options: PlatformFixtureOptions): Promise<PlatformFixture> {
  const config: PlatformConfig = { ...loadConfig({}), ...TEST_CONFIG_DEFAULTS, ...options.config };
  const logs: LogLine[] = [];
  const logger = createLogger({
    name: 'platform-service',
    level: config.LOG_LEVEL,
    destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  });
  let offset = 0;
  const clock: TestClock = { now: () => Date.now() + offset, advance: (ms) => void (offset += ms) };

  const database = await createTestDatabase(options.kind);
  try {
    await migrate(database, 'platform');
    if (options.seed ?? true) await seedDemo(database);
    const app = await buildPlatformApp({ config, database, logger, now: clock.now });
    await app.ready();
    return {
      app,
      database,
      config,
      logs,
      clock,
      async close() {
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
