import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type Role } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import { bearerToken, type AuthContext, type TokenVerifier } from '../auth/token-verifier.ts';

/** Who may call a route: a list of roles (any of them grants access) or `public`. */
export type RouteAccess = readonly Role[] | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    auth: AuthContext | undefined;
  }
}

export const ANY_ROLE: readonly Role[] = ['viewer', 'trader', 'admin', 'operator'];

/** The caller of an authenticated route (set by the guard before the handler runs). */
export function caller(req: FastifyRequest): AuthContext {
  if (!req.auth) throw new AppError('AUTH_TOKEN_MISSING');
  return req.auth;
}

/**
 * Every route must say who may call it (`config.access`). A route registered without it is a
 * boot error, so a new endpoint cannot ship unguarded by accident.
 */
export function registerAuth(app: KestrelServer, verifier: TokenVerifier): RouteTable {
  const table: RouteTable = [];
  app.decorateRequest('auth', undefined);
  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (url.startsWith('/docs') || route.method === 'HEAD') return;
    const access = route.config?.access;
    for (const method of [route.method].flat()) table.push({ method: String(method), url, access: access ?? 'public', hidden: Boolean(route.schema?.hide) });
    if (access === undefined) {
      throw new Error(`Route ${String(route.method)} ${url} declares no config.access (roles or 'public'): every route must.`);
    }
    if (access === 'public') return;
    const guard = async (req: FastifyRequest, _reply: FastifyReply) => {
      const token = bearerToken(req.headers.authorization);
      if (!token) throw new AppError(req.headers.authorization ? 'AUTH_TOKEN_MALFORMED' : 'AUTH_TOKEN_MISSING');
      const auth = await verifier.verify(token);
      req.auth = auth;
      if (!auth.roles.some((r) => access.includes(r))) {
        throw new AppError('FORBIDDEN', `This action needs one of the roles: ${access.join(', ')}.`);
      }
    };
    const existing = route.onRequest;
    route.onRequest = existing ? [guard, ...(Array.isArray(existing) ? existing : [existing])] : [guard];
  });
  return table;
}

/** Every route of the app with who may call it: tests walk it (authorisation matrix, OpenAPI coverage). */
export type RouteTable = Array<{ method: string; url: string; access: RouteAccess; hidden: boolean }>;
