import { createDatabase, migrate } from '@kestrel/db';
import { createLogger } from '@kestrel/server-kit';
import { buildBackendApp } from './app.ts';
import { loadConfig } from './config.ts';
import { loadSecretsKey } from './services/secret-box.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const logger = createLogger({ name: 'backend', level: config.LOG_LEVEL });
  const database = createDatabase({
    url: config.DATABASE_URL,
    dataDir: config.BACKEND_DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
    onError: (err) => logger.warn({ err }, 'database connection lost; the pool will reconnect'),
  });
  logger.info({ database: database.kind, dataDir: database.kind === 'pglite' ? config.BACKEND_DATA_DIR : undefined }, 'applying migrations');
  await migrate(database, 'backend', (m) => logger.info(m));
  const secrets = loadSecretsKey({ envKey: config.EXCHANGE_SECRETS_KEY, dataDir: config.BACKEND_DATA_DIR });
  if (secrets.source === 'generated') logger.warn(`generated an exchange secrets key in ${config.BACKEND_DATA_DIR}/exchange-secrets.key (0600): back it up with the data folder`);
  const app = await buildBackendApp({ config, database, logger, secretsKey: secrets.key });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping backend');
    await app.close().catch((err: unknown) => logger.error({ err }, 'error while closing'));
    await database.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    await app.listen({ host: config.BACKEND_HOST, port: config.BACKEND_PORT });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    logger.fatal({ err }, code === 'EADDRINUSE' ? `port ${config.BACKEND_PORT} is in use: stop the other process or set BACKEND_PORT` : 'backend failed to start');
    await database.close().catch(() => {});
    process.exit(1);
  }
  logger.info(`backend ready on http://localhost:${config.BACKEND_PORT} (API docs at /docs)`);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  const hint = /in use by process/.test(message)
    ? ''
    : /Aborted|RuntimeError|invalid page|could not read/i.test(message)
      ? ' The embedded database folder looks damaged: stop Kestrel and delete BACKEND_DATA_DIR (default .data/backend; this deletes local data).'
      : /ECONNREFUSED|password authentication|does not exist/.test(message)
        ? ' Check DATABASE_URL: the PostgreSQL server must be reachable and the database must exist.'
        : '';
  console.error(`backend failed to start: ${message}${hint}`);
  process.exit(1);
});
