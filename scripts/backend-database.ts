/**
 * The backend's database for command-line tools, opened the way the backend opens it: DATABASE_URL
 * (PostgreSQL) when set, else the embedded PGlite folder BACKEND_DATA_DIR (default .data/backend).
 * Failures that have a known fix (no database yet, the PGlite folder held by a running backend)
 * become a CliFailure whose message says what to do.
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '@kestrel/backend/config';
import { createDatabase, type Database } from '@kestrel/db';

/** A failure the user can fix: print the message, no stack. */
export class CliFailure extends Error {}

/** These tools read no exchange secret; the backend's config still insists on a key beside DATABASE_URL. */
const UNUSED_SECRETS_KEY = Buffer.alloc(32).toString('base64');

export function openBackendDatabase(opts: { mustExist: boolean }): { database: Database; where: string } {
  let config;
  try {
    config = loadConfig({ ...process.env, EXCHANGE_SECRETS_KEY: process.env.EXCHANGE_SECRETS_KEY || UNUSED_SECRETS_KEY });
  } catch (err) {
    throw new CliFailure((err as Error).message);
  }
  const where = config.DATABASE_URL ? describeUrl(config.DATABASE_URL) : `PGlite folder ${config.BACKEND_DATA_DIR}`;
  if (opts.mustExist && !config.DATABASE_URL && !existsSync(config.BACKEND_DATA_DIR)) {
    throw new CliFailure(`there is no database in ${config.BACKEND_DATA_DIR}. Start Kestrel once (npm start) to create it, set BACKEND_DATA_DIR to the folder you use, or set DATABASE_URL for PostgreSQL.`);
  }
  try {
    return { database: createDatabase({ url: config.DATABASE_URL, dataDir: config.BACKEND_DATA_DIR, poolSize: 2, onError: () => {} }), where };
  } catch (err) {
    const message = (err as Error).message;
    if (/in use by process/.test(message)) {
      throw new CliFailure(`${message}\nThe embedded database is open in a running Kestrel backend and cannot be used beside it. Stop Kestrel (Ctrl-C in the terminal of npm start) and run this again, or point DATABASE_URL at the PostgreSQL database Kestrel uses.`);
    }
    throw new CliFailure(message);
  }
}

/** A database error with the hint for an unreachable PostgreSQL, when that is what it is. */
export function databaseFailure(err: unknown): CliFailure {
  const message = err instanceof Error ? err.message : String(err);
  return new CliFailure(/ECONNREFUSED|password authentication|does not exist/.test(message) ? `${message}. Check DATABASE_URL: the PostgreSQL server must be reachable and the database must exist.` : message);
}

function describeUrl(url: string): string {
  const u = new URL(url);
  return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
}
