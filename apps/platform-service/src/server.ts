import { createDatabase, migrate, type Database } from '@kestrel/db';
import { createLogger, type KestrelServer } from '@kestrel/server-kit';
import { buildPlatformApp } from './app.ts';
import { loadConfig, type PlatformConfig } from './config.ts';
import { seedDemo } from './seed.ts';
import { bootHint } from './boot-hint.ts';

/** Entry point: `npm start -w @kestrel/platform-service` (tsx src/server.ts). */
async function main(): Promise<void> {
  let config: PlatformConfig;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const logger = createLogger({ name: 'platform-service', level: config.LOG_LEVEL });
  let database: Database | undefined;
  let app: KestrelServer | undefined;
  try {
    database = createDatabase({
      url: config.DATABASE_URL,
      dataDir: config.PLATFORM_DATA_DIR,
      onError: (err) => logger.error({ err }, 'database connection error (the pool will reconnect)'),
    });
    const db = database;
    const { applied } = await migrate(db, 'platform', (msg) => logger.info(msg));
    logger.info({ applied: applied.length, database: db.kind }, 'migrations up to date');
    if (config.SEED_DEMO) await seedDemo(db, (msg) => logger.info(msg));
    app = await buildPlatformApp({ config, database: db, logger });
    const url = await app.listen({ host: config.PLATFORM_HOST, port: config.PLATFORM_PORT });
    logger.info({ url }, `platform-service listening on ${url} (JWKS: ${url}/.well-known/jwks.json)`);
  } catch (err) {
    logger.fatal({ err }, 'platform-service failed to start');
    console.error(`platform-service failed to start: ${bootHint(err, config)}`);
    await app?.close().catch(() => {});
    await database?.close().catch(() => {});
    process.exit(1);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await app?.close();
      await database?.close();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

await main();
