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
  admin: {
    all: ['admin'] as const,
    users: () => ['admin', 'users'] as const,
    audit: (filters: object) => ['admin', 'audit', filters] as const,
    accounts: () => ['admin', 'exchange-accounts'] as const,
    runs: (filters: object) => ['admin', 'reconciliation', 'runs', filters] as const,
    run: (id: string) => ['admin', 'reconciliation', 'run', id] as const,
  },
};
