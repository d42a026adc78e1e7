import type { FastifyRequest } from 'fastify';
import { AppError, type Role } from '@kestrel/contracts';
import type { Actor } from '../services/policy.ts';
import type { AccessTokens } from '../services/tokens.ts';
import { normaliseRoles, type UserService } from '../services/users.ts';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/**
 * Bearer authentication for the management routes. The token is verified locally against this
 * service's own keys with the same checks any verifier applies; then the caller is re-read from the
 * database, so a user disabled or demoted since the token was issued loses management rights at
 * once instead of when the token expires (cheap here: management calls are rare).
 *
 * Runs as an `onRequest` hook so an anonymous caller gets 401 before any body validation. The actor
 * is kept in a WeakMap rather than a request decoration, to keep Fastify's global types untouched
 * in this monorepo.
 */
export function createAuthGuard(accessTokens: AccessTokens, userService: UserService) {
  const actors = new WeakMap<FastifyRequest, Actor>();

  async function authenticate(req: FastifyRequest): Promise<Actor> {
    const header = req.headers.authorization;
    if (!header) throw new AppError('AUTH_TOKEN_MISSING');
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new AppError('AUTH_TOKEN_MALFORMED');
    const claims = await accessTokens.verify(token);
    const current = await userService.actor(claims.tid, claims.sub);
    if (!current || current.user.status !== 'active' || current.tenantStatus !== 'active') throw new AppError('AUTH_ACCOUNT_DISABLED');
    return { userId: current.user.id, tenantId: current.user.tenantId, username: current.user.username, roles: normaliseRoles(current.user.roles) };
  }

  return {
    /** Hook: authenticates and admits callers holding at least one of `allowed` (others: 403). */
    requireRoles(...allowed: Role[]) {
      return async (req: FastifyRequest): Promise<void> => {
        const actor = await authenticate(req);
        if (!actor.roles.some((r) => allowed.includes(r))) throw new AppError('FORBIDDEN');
        actors.set(req, actor);
      };
    },
    actorOf(req: FastifyRequest): Actor {
      const actor = actors.get(req);
      if (!actor) throw new Error(`route ${req.routeOptions.url} reads the actor but has no requireRoles hook`);
      return actor;
    },
  };
}

export type AuthGuard = ReturnType<typeof createAuthGuard>;
