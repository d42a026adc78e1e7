import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import { migrate, listMigrations } from './migrate.ts';
import { createTestDatabase, dbTargets, type TestDatabase } from './testing.ts';
import { pgErrorOf, rowsOf } from './client.ts';
import { sql } from 'drizzle-orm';
import * as platform from './schema/platform.ts';
import * as backend from './schema/backend.ts';
import * as trading from './schema/trading.ts';
import { auditLog, userPreferences } from './schema/backend.ts';

describe.each(dbTargets())('database [%s]', (kind) => {
  let database: TestDatabase;
  const tenantA = randomUUID();
  const tenantB = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'platform');
    await migrate(database, 'backend');
    await database.db.insert(userPreferences).values([
      { tenantId: tenantA, userId: randomUUID(), preferences: { theme: 'dark' } },
      { tenantId: tenantB, userId: randomUUID(), preferences: { theme: 'light' } },
    ]);
  }, 60_000);
  afterAll(async () => database?.close());

  it('applies migrations once: a second run changes nothing', async () => {
    const again = await migrate(database, 'backend');
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(listMigrations('backend').length);
  });

  it('the drizzle schema matches the tables the migrations create', async () => {
    const tables = [...Object.values(platform), ...Object.values(backend), ...Object.values(trading)].filter(
      (t: unknown): t is Table => typeof t === 'object' && t !== null && Symbol.for('drizzle:IsDrizzleTable') in t,
    );
    expect(tables.length).toBeGreaterThanOrEqual(21);
    for (const table of tables) {
      const res = await database.db.execute(
        sql`select column_name from information_schema.columns where table_name = ${getTableName(table)} and table_schema = 'public'`,
      );
      const inDb = new Set(rowsOf<{ column_name: string }>(res).map((r) => r.column_name));
      const inCode = Object.values(getTableColumns(table)).map((c) => c.name);
      expect(inCode.filter((c) => !inDb.has(c)), getTableName(table)).toEqual([]);
      expect(inDb.size, getTableName(table)).toBe(inCode.length);
    }
  });

  it('row-level security: the app role sees only its tenant even when the query has no tenant filter', async () => {
    const rows = await database.withTenant({ tenantId: tenantA }, (tx) => tx.select().from(userPreferences));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tenantId).toBe(tenantA);
    const count = await database.withTenant({ tenantId: randomUUID() }, (tx) => tx.select().from(userPreferences));
    expect(count).toHaveLength(0);
  });

  it('row-level security: with no tenant set the app role reads nothing and cannot write another tenant', async () => {
    const none = await database.withTenant({ tenantId: '' }, (tx) => tx.select().from(userPreferences));
    expect(none).toHaveLength(0);
    await expect(
      database.withTenant({ tenantId: tenantA }, (tx) =>
        tx.insert(userPreferences).values({ tenantId: tenantB, userId: randomUUID(), preferences: {} }),
      ),
    ).rejects.toSatisfy((e) => /row-level security/.test(pgErrorOf(e).message));
  });

  it('the application role is neither owner nor superuser, and cannot bypass RLS', async () => {
    const r = await database.withTenant({ tenantId: tenantA }, async (tx) =>
      rowsOf<{ current_user: string; rolsuper: boolean; rolbypassrls: boolean; owner: string }>(
        await tx.execute(sql`select current_user, r.rolsuper, r.rolbypassrls,
          (select tableowner from pg_tables where tablename = 'user_preferences') as owner
          from pg_roles r where r.rolname = current_user`),
      ),
    );
    expect(r[0]).toMatchObject({ current_user: 'kestrel_app', rolsuper: false, rolbypassrls: false });
    expect(r[0]?.owner).not.toBe('kestrel_app');
  });

  it('the role and tenant are transaction-local: they do not leak to the next query', async () => {
    await database.withTenant({ tenantId: tenantA }, async () => undefined);
    const r = rowsOf<{ u: string; t: string | null }>(
      await database.db.execute(sql`select current_user as u, nullif(current_setting('app.tenant_id', true), '') as t`),
    );
    expect(r[0]?.u).not.toBe('kestrel_app');
    expect(r[0]?.t ?? null).toBeNull();
  });

  it('the audit log is append-only, for the owner too', async () => {
    const [row] = await database.db
      .insert(auditLog)
      .values({ tenantId: tenantA, actorId: randomUUID(), actorUsername: 'a', action: 'x', target: 't', requestId: 'r' })
      .returning();
    const appendOnly = (e: unknown) => /append-only/.test(pgErrorOf(e).message);
    await expect(database.db.update(auditLog).set({ action: 'y' }).where(sql`id = ${row!.id}`)).rejects.toSatisfy(appendOnly);
    await expect(database.db.delete(auditLog).where(sql`id = ${row!.id}`)).rejects.toSatisfy(appendOnly);
  });
});

describe.runIf(dbTargets().includes('postgres'))('database [postgres] owned by a non-superuser role (needs DATABASE_URL)', () => {
  it('migrates and enforces row-level security when the service connects as a plain owner role', async () => {
    const { default: pg } = await import('pg');
    const admin = await createTestDatabase('postgres');
    const owner = `kestrel_owner_${randomUUID().slice(0, 8)}`;
    const adminClient = new pg.Client({ connectionString: admin.url });
    await adminClient.connect();
    try {
      await adminClient.query(`create role ${owner} login nosuperuser createrole`);
      await adminClient.query(`grant create on database ${new URL(admin.url!).pathname.slice(1)} to ${owner}`);
      await adminClient.query(`grant create on schema public to ${owner}`);
    } finally {
      await adminClient.end();
    }
    const { createDatabase } = await import('./client.ts');
    const u = new URL(admin.url!);
    u.username = owner;
    const database = createDatabase({ url: u.toString(), poolSize: 2 });
    try {
      await migrate(database, 'backend');
      const t = randomUUID();
      await database.db.insert(userPreferences).values([
        { tenantId: t, userId: randomUUID(), preferences: {} },
        { tenantId: randomUUID(), userId: randomUUID(), preferences: {} },
      ]);
      const seen = await database.withTenant({ tenantId: t }, (tx) => tx.select().from(userPreferences));
      expect(seen.map((r) => r.tenantId)).toEqual([t]);
    } finally {
      await database.close();
      await admin.close();
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`drop role if exists ${owner}`).catch(() => {});
      await c.end();
    }
  });
});

describe('PGlite data folder', () => {
  it('refuses a second open of the same folder while the first is open, and reopens after close', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createDatabase } = await import('./client.ts');
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-pglite-'));
    try {
      const first = createDatabase({ dataDir: dir });
      await first.ping();
      expect(() => createDatabase({ dataDir: dir })).toThrow(/in use by process/);
      await first.close();
      const again = createDatabase({ dataDir: dir });
      await again.ping();
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over a lock left by a killed process, also one that had the same pid (a container restarted after a crash)', async () => {
    const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { spawnSync } = await import('node:child_process');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createDatabase } = await import('./client.ts');
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-pglite-'));
    try {
      // A process that is gone (it ran and ended) left its lock behind.
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      writeFileSync(join(dir, 'kestrel.lock'), dead.stdout);
      const first = createDatabase({ dataDir: dir });
      await first.ping();
      expect(readFileSync(join(dir, 'kestrel.lock'), 'utf8')).toBe(String(process.pid));
      await first.close();
      // The previous incarnation had this very pid: the lock is stale, not "in use by process <self>".
      writeFileSync(join(dir, 'kestrel.lock'), String(process.pid));
      const again = createDatabase({ dataDir: dir });
      await again.ping();
      expect(() => createDatabase({ dataDir: dir })).toThrow(/in use by process/);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
