import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, refreshTokens, type Database, type Tx } from '@kestrel/db';

/**
 * Opaque refresh tokens: 32 random bytes (base64url) given to the client once; only their SHA-256
 * is stored, so a database leak does not yield usable tokens. (A fast hash is right here: the
 * input has 256 bits of entropy, unlike a password.)
 *
 * Rotation: each refresh consumes the token and issues a successor in the same family. A consumed
 * or revoked token presented again means it was copied: the whole family is revoked, signing out the
 * thief and the victim alike (the victim signs in again; the thief cannot).
 */
export type RevokeReason = 'reuse' | 'logout' | 'user_disabled' | 'password_changed' | 'tenant_disabled' | 'account_disabled';

export type ConsumeResult =
  | { kind: 'rotated'; id: string; tenantId: string; userId: string; familyId: string }
  | { kind: 'reused' }
  | { kind: 'invalid' };

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createRefreshTokens(database: Database, options: { ttlSeconds: number; now?: () => number }) {
  const now = () => new Date((options.now ?? Date.now)());

  async function revokeFamily(tx: Tx, familyId: string, reason: RevokeReason): Promise<void> {
    await tx
      .update(refreshTokens)
      .set({ revokedAt: now(), revokedReason: reason })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  }

  /**
   * The tenant owning a token, read on the owner connection: the tenant is not known before the
   * token is looked up (like a login by username). Everything after runs under row-level security.
   */
  async function ownerOf(token: string): Promise<{ tenantId: string; familyId: string } | undefined> {
    const [row] = await database.db
      .select({ tenantId: refreshTokens.tenantId, familyId: refreshTokens.familyId })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashRefreshToken(token)));
    return row;
  }

  return {
    ttlSeconds: options.ttlSeconds,
    ownerOf,
    revokeFamily,

    async issue(tx: Tx, owner: { tenantId: string; userId: string; familyId?: string }): Promise<{ id: string; token: string }> {
      const token = randomBytes(32).toString('base64url');
      const id = randomUUID();
      await tx.insert(refreshTokens).values({
        id,
        tenantId: owner.tenantId,
        userId: owner.userId,
        familyId: owner.familyId ?? randomUUID(),
        tokenHash: hashRefreshToken(token),
        expiresAt: new Date(now().getTime() + options.ttlSeconds * 1000),
      });
      return { id, token };
    },

    /**
     * Marks the token rotated if, and only if, it is still live. The conditional UPDATE is the
     * arbiter between concurrent refreshes with the same token: PostgreSQL re-checks the WHERE on
     * the row after the first writer commits, so exactly one UPDATE returns it.
     */
    async consume(tx: Tx, token: string): Promise<ConsumeResult> {
      const tokenHash = hashRefreshToken(token);
      const t = now();
      const [won] = await tx
        .update(refreshTokens)
        .set({ rotatedAt: t })
        .where(
          and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.rotatedAt), isNull(refreshTokens.revokedAt), gt(refreshTokens.expiresAt, t)),
        )
        .returning();
      if (won) return { kind: 'rotated', id: won.id, tenantId: won.tenantId, userId: won.userId, familyId: won.familyId };
      const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
      if (!row) return { kind: 'invalid' };
      // Replaying a consumed token (or one of a family already revoked for reuse) is theft: revoke all.
      if (row.rotatedAt !== null || row.revokedReason === 'reuse') {
        await revokeFamily(tx, row.familyId, 'reuse');
        return { kind: 'reused' };
      }
      // Signed out (logout, password change, disabled account) or expired: just no longer valid.
      return { kind: 'invalid' };
    },

    async linkSuccessor(tx: Tx, id: string, successorId: string): Promise<void> {
      await tx.update(refreshTokens).set({ replacedBy: successorId }).where(eq(refreshTokens.id, id));
    },

    async revokeUser(tx: Tx, userId: string, reason: RevokeReason): Promise<void> {
      await tx
        .update(refreshTokens)
        .set({ revokedAt: now(), revokedReason: reason })
        .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
    },

    async revokeTenant(tx: Tx, tenantId: string, reason: RevokeReason): Promise<void> {
      await tx
        .update(refreshTokens)
        .set({ revokedAt: now(), revokedReason: reason })
        .where(and(eq(refreshTokens.tenantId, tenantId), isNull(refreshTokens.revokedAt)));
    },
  };
}

export type RefreshTokens = ReturnType<typeof createRefreshTokens>;
