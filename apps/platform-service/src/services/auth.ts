import { AppError, type LoginRequest, type TokenPair } from '@kestrel/contracts';
import { and, eq, tenants, users, type Database, type Tx } from '@kestrel/db';
import { verifyAgainstDummy, verifyPassword } from './passwords.ts';
import type { RefreshTokens } from './refresh-tokens.ts';
import type { LoginThrottle } from './throttle.ts';
import type { AccessTokens } from './tokens.ts';
import { normaliseRoles, type UserRow } from './users.ts';

/** More users with one username (in as many tenants) than this must sign in with their tenant slug. */
const MAX_LOGIN_CANDIDATES = 10;

interface Candidate {
  user: UserRow;
  tenantStatus: 'active' | 'disabled';
}

export interface AuthServiceDeps {
  database: Database;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  throttle: LoginThrottle;
  accessTokenTtlSeconds: number;
}

/**
 * Sign-in, refresh and sign-out.
 *
 * Login answers the same AUTH_INVALID_CREDENTIALS for an unknown user and a wrong password, and
 * spends one Argon2 verify either way, so neither the body nor the timing tells which. Whether an
 * account is disabled is told only to someone who proved the password.
 *
 * One username may exist in several tenants. With a tenant slug only that tenant's user is tried.
 * Without one, the password is tried against each (at most MAX_LOGIN_CANDIDATES); exactly one match
 * signs in, none is a normal failure, and several matches (the same password in two tenants) is
 * refused with a hint to add the tenant slug — not counted as a failure, since the password was
 * right. Trade-off: the response time grows with the number of tenants holding that username.
 */
export function createAuthService(deps: AuthServiceDeps) {
  const { database, accessTokens, refreshTokens, throttle } = deps;

  /** Look-up by username across tenants: the owner connection, as the tenant is not known yet. */
  async function candidates(username: string, tenantSlug: string | undefined): Promise<Candidate[]> {
    return database.db
      .select({ user: users, tenantStatus: tenants.status })
      .from(users)
      .innerJoin(tenants, eq(tenants.id, users.tenantId))
      .where(and(eq(users.username, username), tenantSlug === undefined ? undefined : eq(tenants.slug, tenantSlug.toLowerCase())))
      .limit(MAX_LOGIN_CANDIDATES);
  }

  async function tokenPair(user: UserRow, refreshToken: string): Promise<TokenPair> {
    const roles = normaliseRoles(user.roles);
    const accessToken = await accessTokens.sign({ sub: user.id, tid: user.tenantId, roles, usr: user.username });
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: deps.accessTokenTtlSeconds,
      refreshExpiresIn: refreshTokens.ttlSeconds,
      user: { id: user.id, username: user.username, tenantId: user.tenantId, roles },
    };
  }

  return {
    async login(input: LoginRequest, clientIp: string): Promise<TokenPair> {
      // Before any password check: a throttled guesser learns nothing, not even a right guess.
      const wait = throttle.retryAfterSeconds(input.username, clientIp);
      if (wait > 0) throw new AppError('LOGIN_THROTTLED', undefined, { headers: { 'retry-after': String(wait) } });

      const found = await candidates(input.username, input.tenant);
      const matches: Candidate[] = [];
      if (found.length === 0) await verifyAgainstDummy(input.password);
      for (const c of found) if (await verifyPassword(c.user.passwordHash, input.password)) matches.push(c);

      if (matches.length > 1) {
        throw new AppError('AUTH_INVALID_CREDENTIALS', 'This username exists in several tenants: add the tenant slug to sign in.');
      }
      const match = matches[0];
      if (!match) {
        throttle.recordFailure(input.username, clientIp);
        throw new AppError('AUTH_INVALID_CREDENTIALS');
      }
      if (match.user.status !== 'active' || match.tenantStatus !== 'active') throw new AppError('AUTH_ACCOUNT_DISABLED');
      throttle.recordSuccess(input.username);

      const { token } = await database.withTenant({ tenantId: match.user.tenantId }, (tx) =>
        refreshTokens.issue(tx, { tenantId: match.user.tenantId, userId: match.user.id }),
      );
      return tokenPair(match.user, token);
    },

    async refresh(refreshToken: string): Promise<TokenPair> {
      const owner = await refreshTokens.ownerOf(refreshToken);
      if (!owner) throw new AppError('AUTH_REFRESH_INVALID');
      // The transaction commits in every outcome (a reuse revokes the family), so failures are
      // returned from it and thrown afterwards rather than rolled back.
      const outcome = await database.withTenant({ tenantId: owner.tenantId }, async (tx: Tx) => {
        const consumed = await refreshTokens.consume(tx, refreshToken);
        if (consumed.kind !== 'rotated') return consumed;
        const [row] = await tx
          .select({ user: users, tenantStatus: tenants.status })
          .from(users)
          .innerJoin(tenants, eq(tenants.id, users.tenantId))
          .where(eq(users.id, consumed.userId));
        if (!row || row.user.status !== 'active' || row.tenantStatus !== 'active') {
          await refreshTokens.revokeFamily(tx, consumed.familyId, 'account_disabled');
          return { kind: 'disabled' as const };
        }
        const next = await refreshTokens.issue(tx, { tenantId: consumed.tenantId, userId: consumed.userId, familyId: consumed.familyId });
        await refreshTokens.linkSuccessor(tx, consumed.id, next.id);
        return { kind: 'ok' as const, user: row.user, token: next.token };
      });
      switch (outcome.kind) {
        case 'ok':
          return tokenPair(outcome.user, outcome.token);
        case 'reused':
          throw new AppError('AUTH_REFRESH_REUSED');
        case 'disabled':
          throw new AppError('AUTH_ACCOUNT_DISABLED');
        default:
          throw new AppError('AUTH_REFRESH_INVALID');
      }
    },

    /** Ends the whole session (the token's family). Unknown or already revoked tokens are fine: logout is idempotent. */
    async logout(refreshToken: string): Promise<void> {
      const owner = await refreshTokens.ownerOf(refreshToken);
      if (!owner) return;
      await database.withTenant({ tenantId: owner.tenantId }, (tx) => refreshTokens.revokeFamily(tx, owner.familyId, 'logout'));
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
