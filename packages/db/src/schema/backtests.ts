import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Mirrors migrations/backend/0008_backtests.sql (the SQL is the source of truth): backtests and
 * parameter sweeps, their configuration, progress and stored results. The jsonb shapes are the
 * backend's (apps/backend/src/backtests); the API's views are in @kestrel/contracts.
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const BACKTEST_RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;

export const backtestRuns = pgTable('backtest_runs', {
  id: uuid('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  kind: text('kind', { enum: ['backtest', 'sweep'] }).notNull(),
  name: text('name'),
  status: text('status', { enum: BACKTEST_RUN_STATUSES }).notNull(),
  profileId: uuid('profile_id'),
  config: jsonb('config').$type<Record<string, unknown>>().notNull(),
  progress: jsonb('progress').$type<Record<string, unknown>>().notNull(),
  metrics: jsonb('metrics').$type<Record<string, unknown>>(),
  result: jsonb('result').$type<Record<string, unknown>>(),
  error: jsonb('error').$type<{ code: string; message: string }>(),
  runner: text('runner').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdByUsername: text('created_by_username').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  startedAt: ts('started_at'),
  finishedAt: ts('finished_at'),
});
