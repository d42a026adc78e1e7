import type { AddressInfo } from 'node:net';
import { buildBackendApp, type BackendDeps } from '@kestrel/backend/app';
import { testConfig, type BackendConfig } from '@kestrel/backend/config';
import { migrate, type DbKind } from '@kestrel/db';
import { createTestDatabase, type TestDatabase } from '@kestrel/db/testing';
import type { KestrelServer } from '@kestrel/server-kit';
import { captureLogger } from './logs.ts';

export interface TestBackend {
  app: KestrelServer;
  /** http://127.0.0.1:<port> when listening. */
  url: string;
  database: TestDatabase;
  logs: Array<Record<string, unknown>>;
  config: BackendConfig;
  close(): Promise<void>;
}

/** A real backend on a fresh database (PGlite or PostgreSQL), listening on a free port. */
export async function startTestBackend(opts: {
  kind: DbKind;
  platformUrl: string;
  issuer: string;
  config?: Partial<BackendConfig>;
  /** Extra routes (e.g. a route that throws), registered before the app is ready. */
  extend?: (app: KestrelServer) => void;
  /** Extra dependencies of the app, e.g. `venues` (the paper exchange) and `senderOptions`. */
  deps?: Pick<BackendDeps, 'venues' | 'senderOptions' | 'market' | 'runtime' | 'webDistDir'>;
}): Promise<TestBackend> {
  const database = await createTestDatabase(opts.kind);
  await migrate(database, 'backend');
  const config = testConfig({
    LOG_LEVEL: 'info',
    PLATFORM_URL: opts.platformUrl,
    JWT_ISSUER: opts.issuer,
    jwksUrl: new URL('/.well-known/jwks.json', opts.platformUrl).toString(),
    BACKEND_PORT: 0,
    ...opts.config,
  });
  const { logger, lines } = captureLogger('backend', config.LOG_LEVEL);
  const app = await buildBackendApp({ config, database, logger, ...opts.deps });
  opts.extend?.(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    database,
    logs: lines,
    config,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
