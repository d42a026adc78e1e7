import { sql } from 'drizzle-orm';
import { bigint, customType, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Mirrors migrations/backend/0007_candle_store.sql (the SQL is the source of truth): historical
 * candle datasets and their column-wise chunks. `tenantId` null marks public data.
 */

/**
 * PostgreSQL bytea as bytes. Written as base64 text decoded by the database: PGlite's own bytea
 * parameter serialiser builds one string per byte (seconds and hundreds of MB for a million bars),
 * base64 is native on both sides. Large values are read the same way: select
 * `encode(column, 'base64')` and decode with `Buffer.from(text, 'base64')`.
 */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (bytes) => sql`decode(${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}, 'base64')`,
});

/** A gap in a dataset: bars between `from` and `to` (the bars either side, epoch ms) are missing. */
export interface CandleGap {
  from: number;
  to: number;
  missingBars: number;
}

export const candleDatasets = pgTable('candle_datasets', {
  id: uuid('id').primaryKey(),
  tenantId: uuid('tenant_id'),
  symbol: text('symbol').notNull(),
  timeframe: text('timeframe').notNull(),
  source: text('source').notNull(),
  bars: integer('bars').notNull().default(0),
  firstTime: bigint('first_time', { mode: 'number' }),
  lastTime: bigint('last_time', { mode: 'number' }),
  gapCount: integer('gap_count').notNull().default(0),
  missingBars: bigint('missing_bars', { mode: 'number' }).notNull().default(0),
  /** The first 100 gaps, oldest first. */
  gaps: jsonb('gaps').$type<CandleGap[]>().notNull().default([]),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const candleChunks = pgTable(
  'candle_chunks',
  {
    datasetId: uuid('dataset_id').notNull(),
    tenantId: uuid('tenant_id'),
    firstTime: bigint('first_time', { mode: 'number' }).notNull(),
    lastTime: bigint('last_time', { mode: 'number' }).notNull(),
    bars: integer('bars').notNull(),
    /** Six little-endian Float64 columns back to back: time, open, high, low, close, volume. */
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.firstTime] })],
);
