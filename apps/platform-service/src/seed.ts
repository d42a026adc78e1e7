import { randomUUID } from 'node:crypto';
import { DEMO_TENANT_ID, type Role } from '@kestrel/contracts';
import { eq, sql, tenants, users, type Database } from '@kestrel/db';
import { hashPassword } from './services/passwords.ts';

export const DEMO_TENANT = { slug: 'demo', name: 'Demo Trading' } as const;

/** Demo sign-ins, printed in the README and used by end-to-end tests. Never enable SEED_DEMO in production. */
export const DEMO_LOGINS = [
  { role: 'admin', username: 'admin', password: 'kestrel-admin-demo' },
  { role: 'trader', username: 'trader', password: 'kestrel-trader-demo' },
  { role: 'viewer', username: 'viewer', password: 'kestrel-viewer-demo' },
  { role: 'operator', username: 'operator', password: 'kestrel-operator-demo' },
] as const satisfies readonly { role: Role; username: string; password: string }[];

/**
 * Creates the demo tenant and its users when the tenant does not exist yet, all in one
 * transaction; returns whether it did. Existing demo users are never touched, so a restart keeps
 * changed passwords or roles. Two instances starting at once serialise on an advisory lock.
 * Owner connection: seeding is set-up work, like migrations.
 */
export async function seedDemo(database: Database, log: (message: string) => void = () => {}): Promise<boolean> {
  const exists = async () => (await database.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, DEMO_TENANT.slug))).length > 0;
  if (await exists()) return false; // the usual restart: skip the hashing below
  const hashed = await Promise.all(DEMO_LOGINS.map(async (l) => ({ ...l, passwordHash: await hashPassword(l.password) })));
  const seeded = await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('kestrel_seed_demo'))`);
    const [already] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, DEMO_TENANT.slug));
    if (already) return false;
    const tenantId = DEMO_TENANT_ID;
    await tx.insert(tenants).values({ id: tenantId, slug: DEMO_TENANT.slug, name: DEMO_TENANT.name });
    await tx.insert(users).values(
      hashed.map((l) => ({
        id: randomUUID(),
        tenantId,
        username: l.username,
        displayName: `Demo ${l.role}`,
        passwordHash: l.passwordHash,
        roles: [l.role],
      })),
    );
    return true;
  });
  if (seeded) log(`seeded demo tenant "${DEMO_TENANT.slug}" with users ${DEMO_LOGINS.map((l) => l.username).join(', ')}`);
  return seeded;
}
