/**
 * Test helpers: every database test runs on PGlite, and also on PostgreSQL when DATABASE_URL is
 * set (CI sets it). Each call makes a fresh, isolated database, so test files can run in parallel.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type Database, type DbKind } from './client.ts';

export function dbTargets(): DbKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase extends Database {
  /** Connection string of the fresh PostgreSQL database (undefined on PGlite). */
  readonly url: string | undefined;
}

export async function createTestDatabase(kind: DbKind): Promise<TestDatabase> {
  if (kind === 'pglite') return Object.assign(createDatabase({}), { url: undefined });
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set: PostgreSQL tests need it');
  const name = `kestrel_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = createDatabase({ url, poolSize: 5, onError: () => {} });
  return {
    ...database,
    url,
    async close() {
      await database.close();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      try {
        await drop.query(`drop database if exists ${name} with (force)`);
      } finally {
        await drop.end();
      }
    },
  };
}
