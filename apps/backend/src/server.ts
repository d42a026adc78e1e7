import { createDatabase, migrate } from '@kestrel/db';
import { createLogger } from '@kestrel/server-kit';
import { buildBackendApp } from './app.ts';
import { loadConfig } from './config.ts';
import { loadSecretsKey } from './services/secret-box.ts';
import { seedBundledCandles } from './market-data/bundled-candles.ts';
import { seedDemoTrading } from './trading/runtime/demo.ts';
import { DEFAULT_PAPER_DATASETS, PaperMarket } from './trading/runtime/paper-market.ts';
import { loadCandles } from './market-data/candle-store.ts';
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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
  // Historical candles (public data every tenant reads): imported once, one query on later starts.
  await seedBundledCandles(database, (m) => logger.info(m));
  const secrets = loadSecretsKey({ envKey: config.EXCHANGE_SECRETS_KEY, dataDir: config.BACKEND_DATA_DIR });
  if (secrets.source === 'generated') logger.warn(`generated an exchange secrets key in ${config.BACKEND_DATA_DIR}/exchange-secrets.key (0600): back it up with the data folder`);
  const market = config.PAPER_MARKET
    ? new PaperMarket({
        speed: config.PAPER_REPLAY_SPEED,
        // The replay plays the stored public candles (seeded above from the same bundled files).
        datasets: await Promise.all(DEFAULT_PAPER_DATASETS.map(async (d) => ({ ...d, series: (await loadCandles(database, null, { symbol: d.market.symbol, timeframe: '5m' })).series }))),
        onListenerError: (err) => logger.error({ err }, 'paper market listener failed'),
      })
    : undefined;
  if (market) {
    const [first] = market.symbols();
    logger.info(`paper market: ${market.symbols().map((s) => s.symbol).join(', ')} replayed from ${first?.source.kind === 'replay' ? first.source.dataset : '?'} at ${config.PAPER_REPLAY_SPEED}× (${first?.timeframe} bars)`);
    if (config.SEED_DEMO && first) await seedDemoTrading(database, market.symbols().find((s) => s.symbol === 'BTC/USDT')?.timeframe ?? first.timeframe, (m) => logger.info(m));
  }
  const instanceId = config.INSTANCE_ID ?? `${hostname()}:${config.BACKEND_PORT}`;
  const webDistDir = config.SERVE_WEB ? (config.WEB_DIST_DIR ?? fileURLToPath(new URL('../../web/dist', import.meta.url))) : undefined;
  const serveWeb = webDistDir !== undefined && existsSync(`${webDistDir}/index.html`);
  if (webDistDir && !serveWeb) logger.warn(`web dashboard not built (no ${webDistDir}/index.html): npm start builds it, or run npm run build -w apps/web`);
  const app = await buildBackendApp({
    config,
    database,
    logger,
    secretsKey: secrets.key,
    ...(market ? { venues: market, market } : {}),
    ...(serveWeb ? { webDistDir } : {}),
    ...(config.TRADING_RUNTIME
      ? { runtime: { instanceId, leaseTtlMs: config.LEASE_TTL_MS, heartbeatMs: config.LEASE_HEARTBEAT_MS, reconcileIntervalMs: config.RECONCILE_INTERVAL_MS } }
      : {}),
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping backend');
    market?.stop();
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
  logger.info(`backend ready on http://localhost:${config.BACKEND_PORT} (${serveWeb ? 'web dashboard at /, ' : ''}API docs at /docs)`);
  market?.start();
  const runtime = app.kestrel.runtime;
  if (runtime) {
    logger.info({ instanceId }, 'trading runtime: reconciling exchange accounts before any profile trades');
    await runtime.start();
    const s = runtime.status();
    logger.info(
      { instanceId, readyAccounts: s.readyAccounts, blockedAccounts: s.blockedAccounts.length, loops: s.runners.length },
      `trading runtime started: ${s.runners.length} trading loop(s) running${s.blockedAccounts.length ? `; ${s.blockedAccounts.length} account(s) blocked until reconciliation succeeds` : ''}`,
    );
  }
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
