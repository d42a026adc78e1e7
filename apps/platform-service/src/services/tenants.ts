import { randomUUID } from 'node:crypto';
import { AppError, type Tenant } from '@kestrel/contracts';
import { asc, eq, gt, pgErrorOf, tenants, type Database } from '@kestrel/db';
import { decodeCursor, toPage, type Page, type PageRequest } from './pagination.ts';
import type { RefreshTokens } from './refresh-tokens.ts';

type TenantRow = typeof tenants.$inferSelect;

export function toTenant(row: TenantRow): Tenant {
  return { id: row.id, slug: row.slug, name: row.name, status: row.status, createdAt: row.createdAt.toISOString() };
}

/**
 * Tenant management, an operator-only concern: every query runs under `allTenants` (the
 * operator's cross-tenant scope), as the application role rather than the owner.
 */
export function createTenantService(database: Database, refreshTokens: RefreshTokens) {
  return {
    async list(page: PageRequest): Promise<Page<Tenant>> {
      const after = decodeCursor(page.cursor);
      const rows = await database.withTenant({ allTenants: true }, (tx) =>
        tx
          .select()
          .from(tenants)
          .where(after === undefined ? undefined : gt(tenants.slug, after))
          .orderBy(asc(tenants.slug))
          .limit(page.limit + 1),
      );
      return toPage(rows, page.limit, (r) => r.slug, toTenant);
    },

    async get(id: string): Promise<Tenant | undefined> {
      const [row] = await database.withTenant({ allTenants: true }, (tx) => tx.select().from(tenants).where(eq(tenants.id, id)));
      return row && toTenant(row);
    },

    async create(input: { slug: string; name: string }): Promise<Tenant> {
      try {
        const [row] = await database.withTenant({ allTenants: true }, (tx) =>
          tx.insert(tenants).values({ id: randomUUID(), slug: input.slug, name: input.name }).returning(),
        );
        return toTenant(row!);
      } catch (err) {
        if (pgErrorOf(err).code === '23505') throw new AppError('CONFLICT', `A tenant with slug "${input.slug}" already exists.`);
        throw err;
      }
    },

    /** Disabling a tenant also ends its sessions: its refresh tokens are revoked in the same transaction. */
    async update(id: string, patch: { name?: string | undefined; status?: 'active' | 'disabled' | undefined }): Promise<Tenant | undefined> {
      return database.withTenant({ allTenants: true }, async (tx) => {
        const changes = { ...(patch.name === undefined ? {} : { name: patch.name }), ...(patch.status === undefined ? {} : { status: patch.status }) };
        // An empty PATCH is a read (drizzle refuses an UPDATE with nothing to set).
        const [row] =
          Object.keys(changes).length === 0
            ? await tx.select().from(tenants).where(eq(tenants.id, id))
            : await tx.update(tenants).set(changes).where(eq(tenants.id, id)).returning();
        if (!row) return undefined;
        if (patch.status === 'disabled') await refreshTokens.revokeTenant(tx, id, 'tenant_disabled');
        return toTenant(row);
      });
    },
  };
}

export type TenantService = ReturnType<typeof createTenantService>;
