import type { Database } from '@kestrel/db';
import { createServer, type KestrelServer, type Logger } from '@kestrel/server-kit';
import type { Server as SocketServer } from 'socket.io';
import type { BackendConfig } from './config.ts';
import { TokenVerifier } from './auth/token-verifier.ts';
import { registerAuth, type RouteTable } from './plugins/auth.ts';
import { registerMetrics, type Metrics } from './plugins/metrics.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerRateLimits } from './plugins/rate-limit.ts';
import { createGateway } from './realtime/gateway.ts';
import { MemorySeqStore, RealtimeHub, RedisSeqStore } from './realtime/hub.ts';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerTradingControlRoutes } from './routes/trading-control.ts';
import { registerUserRoutes } from './routes/user.ts';
import { PlatformClient } from './services/platform-client.ts';
import { PreferencesService } from './services/preferences.ts';
import { TradingControlService } from './services/trading-control.ts';
import { ExchangeAccountService } from './services/exchange-accounts.ts';
import { SecretBox } from './services/secret-box.ts';
import { registerExchangeAccountRoutes } from './routes/exchange-accounts.ts';
import { ProfileService } from './services/profiles.ts';
import { registerProfileRoutes } from './routes/profiles.ts';
import { registerOrderRoutes } from './routes/orders.ts';
import { IdempotencyService } from './services/idempotency.ts';
import { LedgerQueries } from './services/ledger-queries.ts';
import { MarketQueries } from './services/market.ts';
import { PnlService, PnlUpdates } from './services/pnl.ts';
import { registerMarketRoutes } from './routes/market.ts';
import { registerPnlRoutes } from './routes/pnl.ts';
import { registerReconciliationRoutes } from './routes/reconciliation.ts';
import { registerBacktestRoutes } from './routes/backtests.ts';
import { BacktestService } from './backtests/backtest-service.ts';
import { hostname } from 'node:os';
import { registerMarketDataRoutes } from './routes/market-data.ts';
import { registerResearchRoutes } from './routes/research.ts';
import { ResearchService } from './services/research.ts';
import { CandleImportService } from './market-data/candle-imports.ts';
import { registerSessionRoutes } from './routes/session.ts';
import { registerStrategyRoutes } from './routes/strategies.ts';
import { registerWebApp } from './plugins/web-app.ts';
import { Reconciler } from './trading/reconciliation/reconciler.ts';
import { ReconciliationService } from './trading/reconciliation/reconciliation-service.ts';
import { MarketBroadcaster } from './realtime/market-rooms.ts';
import { OrderService } from './services/orders.ts';
import { OrderPipeline } from './trading/order-pipeline.ts';
import { TradingEvents } from './trading/trading-events.ts';
import type { SenderOptions } from './trading/order-sender.ts';
import type { VenueProvider } from './trading/venue.ts';
import { guardVenue } from './trading/venue-guard.ts';
import type { MarketDataSource } from './trading/runtime/market-data.ts';
import { TradingRuntime, type TradingRuntimeOptions } from './trading/runtime/trading-runtime.ts';

export interface BackendDeps {
  config: BackendConfig;
  database: Database;
  logger: Logger;
  /** AES-256 key for exchange secrets at rest (server.ts: loadSecretsKey); tests use the config's fixed key. */
  secretsKey?: Buffer;
  /**
   * Exchange adapters per account. Until the trading runtime (next milestone) provides the paper
   * venue and ccxt, none: placing an order answers 503. Tests pass the paper exchange.
   */
  venues?: VenueProvider;
  /** Ambiguous-submit lookup timing (tests shorten it). */
  senderOptions?: Partial<SenderOptions>;
  /** Market data for REST and socket pushes (the embedded default: the paper market). */
  market?: MarketDataSource;
  /**
   * The trading runtime (loops, leases, kill switches, reconciliation schedule). Absent: no loops
   * run (most tests drive the pipeline directly). server.ts starts it once the server listens.
   */
  runtime?: Omit<TradingRuntimeOptions, 'database' | 'pipeline' | 'venues' | 'market' | 'reconciler' | 'hub' | 'logger'>;
  /** The built web dashboard to serve at / (server.ts passes apps/web/dist when it has an index.html). */
  webDistDir?: string;
}

export interface BackendRuntime {
  hub: RealtimeHub;
  io: SocketServer;
  verifier: TokenVerifier;
  metrics: Metrics;
  routes: RouteTable;
  /** Null when BackendDeps.runtime was not given. */
  runtime: TradingRuntime | null;
  services: { preferences: PreferencesService; control: TradingControlService; accounts: ExchangeAccountService; profiles: ProfileService; pipeline: OrderPipeline; orders: OrderService; reconciler: Reconciler; backtests: BacktestService };
}

declare module 'fastify' {
  interface FastifyInstance {
    kestrel: BackendRuntime;
  }
}

/**
 * The backend as a Fastify instance, built in layers: cross-cutting plugins (OpenAPI, auth guard,
 * metrics, rate limits), then application services, then routes and the socket gateway. The
 * server (server.ts) only boots it; tests use it with `inject` or on port 0.
 */
export async function buildBackendApp(deps: BackendDeps): Promise<KestrelServer> {
  const { config, database, logger } = deps;
  const app = createServer({ logger, bodyLimit: config.BODY_LIMIT_BYTES, trustProxy: config.TRUST_PROXY });

  const verifier = new TokenVerifier({
    jwksUrl: config.jwksUrl,
    issuer: config.JWT_ISSUER,
    cooldownMs: config.JWKS_COOLDOWN_MS,
    cacheSize: config.TOKEN_CACHE_SIZE,
  });
  await registerOpenApi(app);
  const routes = registerAuth(app, verifier);
  const metrics = registerMetrics(app);
  await registerRateLimits(app, { ipPerMinute: config.RATE_LIMIT_IP_PER_MINUTE, userPerMinute: config.RATE_LIMIT_USER_PER_MINUTE });

  const redis = config.REDIS_URL ? createRedisClients(config.REDIS_URL, logger) : undefined;
  const hub = new RealtimeHub(redis ? new RedisSeqStore(redis.pub, config.REDIS_KEY_PREFIX) : new MemorySeqStore(), (err, event) =>
    logger.warn({ err, event }, 'could not push a socket event; clients will refetch on the sequence gap'),
  );
  const platform = new PlatformClient(config.PLATFORM_URL);
  const preferences = new PreferencesService(database, { ttlMs: config.PREFERENCES_CACHE_TTL_MS });
  const control = new TradingControlService(database, hub);
  const secretsKey = deps.secretsKey ?? (config.EXCHANGE_SECRETS_KEY ? Buffer.from(config.EXCHANGE_SECRETS_KEY, 'base64') : undefined);
  if (!secretsKey) throw new Error('buildBackendApp: no exchange secrets key (set EXCHANGE_SECRETS_KEY or pass secretsKey)');
  const accounts = new ExchangeAccountService(database, new SecretBox(secretsKey), hub);
  const profiles = new ProfileService(database, accounts, hub);
  const market = new MarketQueries(deps.market);
  const pnl = new PnlService(database, market);
  const pnlUpdates = new PnlUpdates(pnl, hub, logger);
  // Every venue connection goes through the guard: after a 429/418 nothing is sent until the venue allows it.
  const rawVenues = deps.venues ?? { venueFor: () => null };
  const venues: VenueProvider = {
    venueFor: (account) => {
      const venue = rawVenues.venueFor(account);
      return venue ? guardVenue(venue) : null;
    },
  };
  const pipeline = new OrderPipeline(database, venues, logger, undefined, deps.senderOptions, new TradingEvents(hub, pnlUpdates));
  const orders = new OrderService(database, pipeline);
  // Local orders against the venue per exchange account: at start-up and periodically (the runtime), and by hand (the API).
  const reconciler = new Reconciler({ database, venues, sender: pipeline.sender, hub, logger });
  // Backtests run in this instance's worker threads, under its instance id (as server.ts names it for leases); runs it left unfinished when it stopped are failed first.
  const backtests = new BacktestService({ database, hub, profiles, logger, instrumentFilters: (symbol) => deps.market?.symbols().find((m) => m.symbol === symbol), workers: config.BACKTEST_WORKERS, runner: deps.runtime?.instanceId ?? config.INSTANCE_ID ?? `${hostname()}:${config.BACKEND_PORT}` });
  await backtests.recover();
  const runtime = deps.runtime
    ? new TradingRuntime({ ...deps.runtime, database, pipeline, venues, market: deps.market ?? null, reconciler, hub, logger })
    : null;
  if (runtime) {
    control.onChange((change) =>
      change.tradingEnabled
        ? runtime.resume(change.scope === 'global' ? { scope: 'global' } : { scope: 'tenant', tenantId: change.tenantId! })
        : runtime.halt(change.scope === 'global' ? { scope: 'global', reason: change.killSwitchReason } : { scope: 'tenant', tenantId: change.tenantId!, reason: change.killSwitchReason }),
    );
    profiles.onStateChange((p, tenantId) => runtime.profileChanged({ id: p.id, tenantId, status: p.status }));
  }

  registerHealthRoutes(app, { database, platform, jwksUrl: config.jwksUrl });
  registerUserRoutes(app, { preferences });
  registerTradingControlRoutes(app, { control });
  registerAdminRoutes(app, { database, platform });
  registerExchangeAccountRoutes(app, { accounts });
  registerProfileRoutes(app, { profiles });
  registerOrderRoutes(app, { orders, ledger: new LedgerQueries(database), idempotency: new IdempotencyService(database) });
  registerMarketRoutes(app, { market });
  registerPnlRoutes(app, { pnl });
  registerReconciliationRoutes(app, { reconciliation: new ReconciliationService(database, reconciler, hub) });
  registerBacktestRoutes(app, { backtests });
  registerMarketDataRoutes(app, { database, imports: new CandleImportService(database, hub) });
  registerResearchRoutes(app, { research: new ResearchService(database) });
  registerSessionRoutes(app, { platform });
  registerStrategyRoutes(app);
  if (deps.webDistDir) await registerWebApp(app, { distDir: deps.webDistDir });

  const marketPushes = deps.market ? new MarketBroadcaster(deps.market) : undefined;
  const io = createGateway({ httpServer: app.server, verifier, hub, logger, metrics, profileAccess: (tenantId, id) => profiles.belongsTo(tenantId, id), ...(marketPushes ? { market: marketPushes } : {}) });
  if (redis) io.adapter(createAdapter(redis.pub, redis.sub, { key: `${config.REDIS_KEY_PREFIX}socket.io` }));
  // Open websockets would hold the HTTP server's close open: drop them first.
  app.addHook('preClose', async () => {
    marketPushes?.stop();
    io.disconnectSockets(true);
    await runtime?.stop();
    // Backtest worker threads are terminated: their runs are marked failed (BACKTEST_INTERRUPTED) now, queued ones at the next start-up.
    await backtests.close();
    // Background order lookups stop at their next step; what they leave open, reconciliation settles.
    pipeline.close();
    await pipeline.drain();
    await pnlUpdates.drain();
  });
  app.addHook('onClose', async () => {
    await new Promise<void>((resolve) => {
      void io.close(() => resolve());
    }).catch(() => {});
    await hub.flushed();
    if (redis) await Promise.all([redis.pub.quit(), redis.sub.quit()]).catch(() => {});
  });
  app.decorate('kestrel', { hub, io, verifier, metrics, routes, runtime, services: { preferences, control, accounts, profiles, pipeline, orders, reconciler, backtests } });
  return app;
}

/** Two connections: Socket.IO's adapter needs one in subscriber mode. */
function createRedisClients(url: string, logger: Logger) {
  const pub = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (err) => logger.warn({ err }, 'redis connection error (it reconnects by itself)'));
  return { pub, sub };
}
