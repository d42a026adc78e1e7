import { randomUUID } from 'node:crypto';
import { AppError, ROLES, type Role, type User } from '@kestrel/contracts';
import { and, asc, eq, gt, pgErrorOf, tenants, users, type Database, type Tx } from '@kestrel/db';
import { decodeCursor, toPage, type Page, type PageRequest } from './pagination.ts';
import { hashPassword } from './passwords.ts';
import type { RefreshTokens } from './refresh-tokens.ts';

export type UserRow = typeof users.$inferSelect;

/** Roles in canonical order without duplicates; the column's CHECK already limits them to ROLES. */
export function normaliseRoles(roles: readonly string[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    tenantId: row.tenantId,
    username: row.username,
    displayName: row.displayName,
    roles: normaliseRoles(row.roles),
    status: row.status,
    createdAt: row.createdAt.toISOString(),
  };
}

export interface CreateUserInput {
  username: string;
  password: string;
  displayName?: string | undefined;
  roles: Role[];
}

export interface UpdateUserInput {
  displayName?: string | undefined;
  roles?: Role[] | undefined;
  status?: 'active' | 'disabled' | undefined;
  password?: string | undefined;
}

/**
 * Users of one tenant. Every query runs in `withTenant({ tenantId })`, so row-level security keeps
 * it inside that tenant even if a filter were missing: a user id of another tenant is simply not
 * found. A missing tenant is a NOT_FOUND as well (checked first, so an empty list means "no users").
 */
export function createUserService(database: Database, refreshTokens: RefreshTokens) {
  async function requireTenant(tx: Tx, tenantId: string): Promise<void> {
    const [t] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId));
    if (!t) throw new AppError('NOT_FOUND', 'No such tenant.');
  }

  return {
    async list(tenantId: string, page: PageRequest): Promise<Page<User>> {
      const after = decodeCursor(page.cursor);
      const rows = await database.withTenant({ tenantId }, async (tx) => {
        await requireTenant(tx, tenantId);
        return tx
          .select()
          .from(users)
          .where(and(eq(users.tenantId, tenantId), after === undefined ? undefined : gt(users.username, after)))
          .orderBy(asc(users.username))
          .limit(page.limit + 1);
      });
      return toPage(rows, page.limit, (r) => r.username, toUser);
    },

    async create(tenantId: string, input: CreateUserInput): Promise<User> {
      const passwordHash = await hashPassword(input.password); // outside the transaction: ~30 ms of CPU
      try {
        const row = await database.withTenant({ tenantId }, async (tx) => {
          await requireTenant(tx, tenantId);
          const [inserted] = await tx
            .insert(users)
            .values({
              id: randomUUID(),
              tenantId,
              username: input.username,
              displayName: input.displayName ?? input.username,
              passwordHash,
              roles: normaliseRoles(input.roles),
            })
            .returning();
          return inserted!;
        });
        return toUser(row);
      } catch (err) {
        if (pgErrorOf(err).code === '23505') throw new AppError('CONFLICT', `User "${input.username}" already exists in this tenant.`);
        throw err;
      }
    },

    /**
     * `authorize` sees the current row inside the transaction (row locked), so a policy such as
     * "an admin may not edit an operator" is checked against what is actually being changed.
     * Disabling a user or changing the password revokes their refresh tokens in the same transaction.
     */
    async update(tenantId: string, userId: string, patch: UpdateUserInput, authorize: (current: UserRow) => void): Promise<User> {
      const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
      const row = await database.withTenant({ tenantId }, async (tx) => {
        const [current] = await tx
          .select()
          .from(users)
          .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
          .for('update');
        if (!current) throw new AppError('NOT_FOUND', 'No such user.');
        authorize(current);
        const [updated] = await tx
          .update(users)
          .set({
            updatedAt: new Date(),
            ...(patch.displayName === undefined ? {} : { displayName: patch.displayName }),
            ...(patch.roles === undefined ? {} : { roles: normaliseRoles(patch.roles) }),
            ...(patch.status === undefined ? {} : { status: patch.status }),
            ...(passwordHash === undefined ? {} : { passwordHash }),
          })
          .where(eq(users.id, userId))
          .returning();
        if (patch.status === 'disabled' && current.status !== 'disabled') await refreshTokens.revokeUser(tx, userId, 'user_disabled');
        if (passwordHash !== undefined) await refreshTokens.revokeUser(tx, userId, 'password_changed');
        return updated!;
      });
      return toUser(row);
    },

    /** The acting user with fresh roles and status, for authorising a management request. */
    async actor(tenantId: string, userId: string): Promise<{ user: UserRow; tenantStatus: 'active' | 'disabled' } | undefined> {
      const [row] = await database.withTenant({ tenantId }, (tx) =>
        tx
          .select({ user: users, tenantStatus: tenants.status })
          .from(users)
          .innerJoin(tenants, eq(tenants.id, users.tenantId))
          .where(and(eq(users.tenantId, tenantId), eq(users.id, userId))),
      );
      return row;
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
