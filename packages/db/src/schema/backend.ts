import { bigserial, boolean, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Mirrors migrations/backend/*.sql (the SQL files are the source of truth; a test checks they agree). */
export const userPreferences = pgTable(
  'user_preferences',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    preferences: jsonb('preferences').$type<Record<string, unknown>>().notNull(),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);

export const platformControl = pgTable('platform_control', {
  id: smallint('id').primaryKey().default(1),
  tradingEnabled: boolean('trading_enabled').notNull().default(true),
  killSwitchReason: text('kill_switch_reason'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }),
  updatedBy: text('updated_by'),
});

export const tenantTradingControl = pgTable('tenant_trading_control', {
  tenantId: uuid('tenant_id').primaryKey(),
  tradingEnabled: boolean('trading_enabled').notNull().default(true),
  killSwitchReason: text('kill_switch_reason'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }),
  updatedBy: text('updated_by'),
});

export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id'),
  actorId: uuid('actor_id').notNull(),
  actorUsername: text('actor_username').notNull(),
  action: text('action').notNull(),
  target: text('target').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
  requestId: text('request_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
