import type { BACKTEST_KINDS } from '@kestrel/contracts';

/** A backtest or a parameter sweep: the same routes, lists and events under their own kind. */
export type RunKind = (typeof BACKTEST_KINDS)[number];

/**
 * Every query key of the dashboard, in one place: features own their fetchers and hooks, the
 * realtime layer invalidates by these prefixes when a socket room needs a refetch, and neither
 * imports the other.
 */
export const queryKeys = {
  me: ['me'] as const,
  preferences: ['preferences'] as const,
  tradingControl: ['trading-control'] as const,
  strategies: ['strategies'] as const,
  profiles: {
    all: ['profiles'] as const,
    list: () => ['profiles', 'list'] as const,
    detail: (id: string) => ['profiles', 'detail', id] as const,
    decisions: (id: string, outcome?: string) => ['profiles', 'decisions', id, outcome ?? 'all'] as const,
  },
  orders: {
    all: ['orders'] as const,
    list: (filters: object) => ['orders', 'list', filters] as const,
    detail: (id: string) => ['orders', 'detail', id] as const,
  },
  pnl: {
    all: ['pnl'] as const,
    tenant: () => ['pnl', 'tenant'] as const,
    profile: (id: string) => ['pnl', 'profile', id] as const,
  },
  market: {
    all: ['market'] as const,
    symbols: () => ['market', 'symbols'] as const,
    symbol: (symbol: string) => ['market', 'symbol', symbol] as const,
    ticker: (symbol: string) => ['market', 'symbol', symbol, 'ticker'] as const,
    candles: (symbol: string, timeframe: string) => ['market', 'symbol', symbol, 'candles', timeframe] as const,
    orderBook: (symbol: string) => ['market', 'symbol', symbol, 'book'] as const,
  },
  marketData: {
    all: ['market-data'] as const,
    coverage: () => ['market-data', 'coverage'] as const,
    candles: (query: object) => ['market-data', 'candles', query] as const,
  },
  /** Backtests and sweeps by kind: `backtest.progress` patches a run's detail and list rows, `backtest.finished` refetches them. */
  backtests: {
    all: ['backtests'] as const,
    lists: (kind: RunKind) => ['backtests', kind, 'list'] as const,
    list: (kind: RunKind, filters: object) => ['backtests', kind, 'list', filters] as const,
    detail: (kind: RunKind, id: string) => ['backtests', kind, 'detail', id] as const,
    compare: (ids: readonly string[]) => ['backtests', 'backtest', 'compare', ids] as const,
  },
  /** Statistics over stored candles: they change only when candles are imported. */
  research: {
    all: ['research'] as const,
    indicator: (query: object) => ['research', 'indicator', query] as const,
    stats: (query: object) => ['research', 'stats', query] as const,
    correlation: (query: object) => ['research', 'correlation', query] as const,
    seasonality: (query: object) => ['research', 'seasonality', query] as const,
  },
  admin: {
    all: ['admin'] as const,
    users: () => ['admin', 'users'] as const,
    audit: (filters: object) => ['admin', 'audit', filters] as const,
    accounts: () => ['admin', 'exchange-accounts'] as const,
    runs: (filters: object) => ['admin', 'reconciliation', 'runs', filters] as const,
    run: (id: string) => ['admin', 'reconciliation', 'run', id] as const,
  },
};
