import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import { APP_ROLE, tenantContextStatement, type TenantScope } from './tenant-context.ts';

export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;
export type DbKind = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data folder; `memory://` (the default) keeps everything in memory. */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number | undefined;
  /** Called for pool-level errors (a connection dropped by the server), which must not crash the process. */
  onError?: ((err: Error) => void) | undefined;
}

export interface RawQuery {
  query<R>(text: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements (no parameters). */
  exec(text: string): Promise<void>;
}

export interface Database {
  readonly kind: DbKind;
  /** Owner connection: migrations, seeding and platform-wide look-ups. Not subject to row-level security. */
  readonly db: Db;
  /**
   * Runs `fn` in a transaction as the application role with the tenant set, so row-level security
   * filters every query to that tenant even when a query forgets its own tenant filter.
   */
  withTenant<T>(scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A transaction on the driver itself, for what drizzle cannot express: multi-statement scripts
   * (migrations) run with the simple query protocol. Owner rights; no row-level security.
   */
  rawTransaction<T>(fn: (q: RawQuery) => Promise<T>): Promise<T>;
  /** Round trip to the database; resolves with the latency in ms. */
  ping(): Promise<number>;
  close(): Promise<void>;
}

export function createDatabase(options: DatabaseOptions = {}): Database {
  if (options.url) return createPostgres(options.url, options);
  return createPglite(options.dataDir ?? 'memory://');
}

function withTenantOn(db: Db) {
  return <T>(scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T> =>
    db.transaction(async (tx) => {
      await tx.execute(tenantContextStatement(scope));
      return fn(tx as unknown as Tx);
    });
}

/** Data folders this process has open (a lock file holding our own pid is ours only if listed here). */
const heldDataDirs = new Set<string>();

/**
 * PGlite is an in-process database: two processes opening one data folder would corrupt it.
 * A lock file with the owner's pid refuses the second; a lock left by a dead process is taken over.
 * So is a lock with this process's own pid that this process does not hold: it was left by an
 * earlier process that had the same pid and was killed (a container restarted after a crash or
 * an OOM kill runs the service under the same small pid again).
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, 'kestrel.lock');
  const key = resolve(dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      heldDataDirs.add(key);
      return () => {
        heldDataDirs.delete(key);
        rmSync(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lockPath, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && (pid === process.pid ? heldDataDirs.has(key) : isAlive(pid))) {
        throw new Error(
          `The database folder ${dataDir} is in use by process ${pid} (another Kestrel instance?). Stop it, or point this service at another folder (PLATFORM_DATA_DIR / BACKEND_DATA_DIR).`,
        );
      }
      rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock the database folder ${dataDir}; check its permissions.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function createPglite(dataDir: string): Database {
  let unlock = () => {};
  if (dataDir !== 'memory://') {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  const client = new PGlite(dataDir === 'memory://' ? undefined : dataDir);
  const db = drizzlePglite(client) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    withTenant: withTenantOn(db),
    rawTransaction: (fn) =>
      client.transaction((tx) =>
        fn({
          query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows,
          exec: async (text: string) => {
            await tx.exec(text);
          },
        }),
      ),
    async ping() {
      const t = performance.now();
      await client.query('select 1');
      return performance.now() - t;
    },
    async close() {
      if (!client.closed) await client.close();
      unlock();
    },
  };
}

function createPostgres(url: string, options: DatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
  // A server-side disconnect (restart, pg_terminate_backend) surfaces here; the pool replaces the connection.
  pool.on('error', (err) => options.onError?.(err));
  // pg-pool listens for errors only on idle clients: a checked-out connection that the server drops
  // between two queries emits 'error' with no listener, which would crash the process. Its pending
  // query fails on its own; the pool discards the broken client when it is released.
  pool.on('connect', (client) => client.on('error', (err) => options.onError?.(err)));
  const db = drizzlePg(pool) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    // Our own checkout, not drizzle's pool transaction: drizzle sends BEGIN before its try/finally,
    // so a connection that dies right at BEGIN was never released, and after a few outages the pool
    // was empty for good. Released here whatever happens; pg-pool drops a broken client on release.
    async withTenant(scope, fn) {
      const client = await pool.connect();
      try {
        return await withTenantOn(drizzlePg(client) as unknown as Db)(scope, fn);
      } finally {
        client.release();
      }
    },
    async rawTransaction(fn) {
      const conn = await pool.connect();
      try {
        await conn.query('begin');
        const result = await fn({
          query: async <R>(text: string, params?: unknown[]) => (await conn.query(text, params)).rows as R[],
          exec: async (text: string) => {
            await conn.query(text);
          },
        });
        await conn.query('commit');
        return result;
      } catch (err) {
        await conn.query('rollback').catch(() => {});
        throw err;
      } finally {
        conn.release();
      }
    },
    async ping() {
      const t = performance.now();
      await db.execute(sql`select 1`);
      return performance.now() - t;
    },
    async close() {
      await pool.end();
    },
  };
}

export { APP_ROLE };

/** Rows of a raw `execute(sql…)` result; both drivers return `{ rows }`, typed `unknown` by drizzle. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** The database's own error under drizzle's "Failed query" wrapper: its SQLSTATE code and message. */
export function pgErrorOf(err: unknown): { code: string | undefined; message: string } {
  let e: unknown = err;
  for (let i = 0; i < 5 && e instanceof Error; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return { code, message: e.message };
    e = (e as { cause?: unknown }).cause;
  }
  return { code: undefined, message: err instanceof Error ? err.message : String(err) };
}
