import { bigint, bigserial, boolean, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Mirrors migrations/backend/0002_trading.sql (the SQL is the source of truth; a test checks they
 * agree). NUMERIC columns are read and written as decimal strings, never floats.
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const dec = (name: string) => numeric(name);

export const exchangeAccounts = pgTable('exchange_accounts', {
  id: uuid('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['paper', 'live'] }).notNull(),
  venue: text('venue').notNull(),
  apiKeyEnc: text('api_key_enc'),
  apiSecretEnc: text('api_secret_enc'),
  apiKeyLast4: text('api_key_last4'),
  paperConfig: jsonb('paper_config').$type<Record<string, unknown>>(),
  status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const profiles = pgTable('profiles', {
  id: uuid('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  exchangeAccountId: uuid('exchange_account_id').notNull(),
  symbol: text('symbol').notNull(),
  timeframe: text('timeframe').notNull(),
  strategy: text('strategy').notNull(),
  strategyParams: jsonb('strategy_params').$type<Record<string, unknown>>().notNull(),
  rules: jsonb('rules').$type<Record<string, unknown>>().notNull(),
  riskLimits: jsonb('risk_limits').$type<Record<string, unknown>>().notNull(),
  capitalAllocation: dec('capital_allocation').notNull(),
  quoteCurrency: text('quote_currency').notNull(),
  mode: text('mode', { enum: ['paper', 'live'] }).notNull(),
  status: text('status', { enum: ['stopped', 'running', 'paused', 'halted'] }).notNull().default('stopped'),
  haltReason: text('halt_reason'),
  tradingState: text('trading_state', { enum: ['ACTIVE', 'REDUCING', 'HALTED'] }).notNull().default('ACTIVE'),
  decisionSeq: bigint('decision_seq', { mode: 'number' }).notNull().default(0),
  /** Highest equity seen at a decision (0004); the drawdown limit measures from it. */
  peakEquity: numeric('peak_equity'),
  version: integer('version').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});

export const profileLeases = pgTable('profile_leases', {
  profileId: uuid('profile_id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  holder: text('holder').notNull(),
  epoch: bigint('epoch', { mode: 'number' }).notNull().default(1),
  heartbeatAt: ts('heartbeat_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
});

const ORDER_STATUSES = ['new', 'submitted', 'accepted', 'partially_filled', 'filled', 'cancel_requested', 'cancelled', 'rejected', 'expired'] as const;

export const orders = pgTable('orders', {
  id: uuid('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  profileId: uuid('profile_id'),
  exchangeAccountId: uuid('exchange_account_id').notNull(),
  clientOrderId: text('client_order_id').notNull(),
  venueOrderId: text('venue_order_id'),
  decisionId: text('decision_id'),
  symbol: text('symbol').notNull(),
  side: text('side', { enum: ['buy', 'sell'] }).notNull(),
  orderType: text('order_type', { enum: ['market', 'limit', 'stop_market', 'stop_limit'] }).notNull(),
  timeInForce: text('time_in_force', { enum: ['GTC', 'IOC', 'FOK'] }).notNull(),
  reduceOnly: boolean('reduce_only').notNull().default(false),
  quantity: dec('quantity').notNull(),
  price: dec('price'),
  stopPrice: dec('stop_price'),
  status: text('status', { enum: ORDER_STATUSES }).notNull(),
  filledQty: dec('filled_qty').notNull().default('0'),
  filledNotional: dec('filled_notional').notNull().default('0'),
  avgFillPrice: dec('avg_fill_price'),
  fees: dec('fees').notNull().default('0'),
  feeCurrency: text('fee_currency'),
  source: text('source', { enum: ['strategy', 'manual', 'reconciliation'] }).notNull(),
  submitAttempts: integer('submit_attempts').notNull().default(0),
  lookupMisses: integer('lookup_misses').notNull().default(0),
  firstMissAt: ts('first_miss_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
});

export const orderEvents = pgTable('order_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  orderId: uuid('order_id').notNull(),
  at: ts('at').notNull(),
  fromStatus: text('from_status').notNull(),
  toStatus: text('to_status').notNull(),
  event: text('event').notNull(),
  source: text('source', { enum: ['local', 'exchange', 'reconciliation'] }).notNull(),
  reason: text('reason'),
});

export const fills = pgTable('fills', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  orderId: uuid('order_id').notNull(),
  profileId: uuid('profile_id'),
  exchangeAccountId: uuid('exchange_account_id').notNull(),
  venue: text('venue').notNull(),
  tradeId: text('trade_id').notNull(),
  side: text('side', { enum: ['buy', 'sell'] }).notNull(),
  quantity: dec('quantity').notNull(),
  price: dec('price').notNull(),
  fee: dec('fee').notNull(),
  feeCurrency: text('fee_currency').notNull(),
  liquidity: text('liquidity', { enum: ['maker', 'taker'] }).notNull(),
  at: ts('at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const positions = pgTable(
  'positions',
  {
    profileId: uuid('profile_id').notNull(),
    symbol: text('symbol').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    quantity: dec('quantity').notNull().default('0'),
    avgEntryPrice: dec('avg_entry_price'),
    cost: dec('cost').notNull().default('0'),
    realizedPnl: dec('realized_pnl').notNull().default('0'),
    fees: dec('fees').notNull().default('0'),
    roundTripRealizedPnl: dec('round_trip_realized_pnl').notNull().default('0'),
    roundTripFees: dec('round_trip_fees').notNull().default('0'),
    openedAt: ts('opened_at'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.symbol] })],
);

export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    profileId: uuid('profile_id').notNull(),
    id: text('id').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    kind: text('kind', { enum: ['opening', 'deposit', 'withdrawal', 'reserve', 'release', 'fill', 'fee', 'adjustment'] }).notNull(),
    ref: text('ref'),
    memo: text('memo'),
    at: ts('at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.id] })],
);

export const ledgerEntries = pgTable('ledger_entries', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  profileId: uuid('profile_id').notNull(),
  transactionId: text('transaction_id').notNull(),
  account: text('account').notNull(),
  currency: text('currency').notNull(),
  amount: dec('amount').notNull(),
});

/** Running balances, kept by a trigger on ledger_entries (0005): always the sum of the entries. */
export const ledgerBalances = pgTable(
  'ledger_balances',
  {
    profileId: uuid('profile_id').notNull(),
    account: text('account').notNull(),
    currency: text('currency').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    balance: dec('balance').notNull(),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.account, t.currency] })],
);

export const decisions = pgTable('decisions', {
  id: text('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  profileId: uuid('profile_id').notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  at: ts('at').notNull(),
  source: text('source', { enum: ['strategy', 'manual'] }).notNull(),
  outcome: text('outcome', { enum: ['approved', 'denied', 'skipped'] }).notNull(),
  stage: text('stage'),
  code: text('code'),
  reason: text('reason').notNull(),
  intent: jsonb('intent').$type<Record<string, unknown>>().notNull(),
  orderId: uuid('order_id'),
  /** The Idempotency-Key of the manual request that produced it (0004). */
  idempotencyKey: text('idempotency_key'),
});

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    key: text('key').notNull(),
    userId: uuid('user_id').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status', { enum: ['pending', 'done'] }).notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

export const reconciliationRuns = pgTable('reconciliation_runs', {
  id: uuid('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  exchangeAccountId: uuid('exchange_account_id').notNull(),
  trigger: text('trigger', { enum: ['startup', 'periodic', 'manual'] }).notNull(),
  status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
  startedAt: ts('started_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
  summary: jsonb('summary'),
  error: text('error'),
  /** 0003_reconciliation.sql: per symbol, the greatest venue trade id the run saw. */
  tradeCursors: jsonb('trade_cursors').$type<Record<string, string>>(),
});

export const reconciliationDiscrepancies = pgTable('reconciliation_discrepancies', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  runId: uuid('run_id').notNull(),
  kind: text('kind').notNull(),
  orderId: uuid('order_id'),
  clientOrderId: text('client_order_id'),
  details: jsonb('details').notNull(),
  resolution: text('resolution'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
