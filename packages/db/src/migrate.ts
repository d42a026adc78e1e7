import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

export type MigrationSet = 'platform' | 'backend';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(set: MigrationSet): Migration[] {
  const dir = join(MIGRATIONS_DIR, set);
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies the pending migrations of one set, in order, in one transaction: either all of them
 * apply or none does (PostgreSQL DDL is transactional).
 * Concurrent migrators (two instances starting at once) serialise on an advisory lock; an applied
 * migration whose file changed afterwards stops the run (edit history by adding a migration).
 */
export async function migrate(
  database: Database,
  set: MigrationSet,
  log: (message: string) => void = () => {},
): Promise<MigrateResult> {
  const migrations = listMigrations(set);
  return database.rawTransaction(async (tx) => {
    // One lock per set across the cluster's databases is fine: migrations are short.
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', ['kestrel_migrations:' + set]);
    await tx.exec(`create table if not exists kestrel_migrations (
      set_name text not null, version text not null, name text not null, checksum text not null,
      applied_at timestamptz not null default now(), primary key (set_name, version))`);
    const rows = await tx.query<{ version: string; checksum: string }>(
      'select version, checksum from kestrel_migrations where set_name = $1',
      [set],
    );
    const done = new Map(rows.map((r) => [r.version, r.checksum]));
    const applied: string[] = [];
    for (const [i, m] of migrations.entries()) {
      const prev = done.get(m.version);
      if (prev !== undefined) {
        if (prev !== m.checksum) {
          throw new Error(
            `Migration ${set}/${m.version}_${m.name}.sql changed after it was applied. Restore the file and add a new migration instead.`,
          );
        }
        continue;
      }
      log(`migrating ${set} ${i + 1}/${migrations.length}: ${m.version}_${m.name}`);
      await tx.exec(m.sql);
      await tx.query('insert into kestrel_migrations (set_name, version, name, checksum) values ($1, $2, $3, $4)', [
        set,
        m.version,
        m.name,
        m.checksum,
      ]);
      applied.push(`${m.version}_${m.name}`);
    }
    return { applied, alreadyApplied: done.size };
  });
}
