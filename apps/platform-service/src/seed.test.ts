import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, migrate, tenants, users } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { DEMO_LOGINS, seedDemo } from './seed.ts';
import { verifyPassword } from './services/passwords.ts';

describe.each(dbTargets())('demo seed [%s]', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'platform');
  });
  afterAll(async () => database?.close());

  it('creates the demo tenant and its four users once, even when two instances start at once; later runs change nothing', async () => {
    const messages: string[] = [];
    const first = await Promise.all([seedDemo(database, (m) => messages.push(m)), seedDemo(database, (m) => messages.push(m))]);
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(messages).toHaveLength(1);
    const [tenant] = await database.db.select().from(tenants).where(eq(tenants.slug, 'demo'));
    expect(tenant).toMatchObject({ name: 'Demo Trading', status: 'active' });
    const seeded = await database.db.select().from(users).where(eq(users.tenantId, tenant!.id));
    expect(seeded.map((u) => [u.username, u.roles]).sort()).toEqual(DEMO_LOGINS.map((l) => [l.username, [l.role]]).sort());
    for (const l of DEMO_LOGINS) expect(await verifyPassword(seeded.find((u) => u.username === l.username)!.passwordHash, l.password)).toBe(true);

    // A changed password survives a restart: the seed never resets existing users.
    await database.db.update(users).set({ passwordHash: 'changed' }).where(eq(users.username, 'admin'));
    expect(await seedDemo(database)).toBe(false);
    const results = await Promise.all([seedDemo(database), seedDemo(database)]);
    expect(results).toEqual([false, false]);
    expect(await database.db.select().from(tenants)).toHaveLength(1);
    expect(await database.db.select().from(users)).toHaveLength(DEMO_LOGINS.length);
    const [admin] = await database.db.select().from(users).where(eq(users.username, 'admin'));
    expect(admin?.passwordHash).toBe('changed');
  });
});
