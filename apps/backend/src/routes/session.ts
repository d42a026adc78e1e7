import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AppError,
  browserSessionSchema,
  loginRequestSchema,
  SESSION_COOKIE,
  SESSION_COOKIE_PATH,
  sessionActionRequestSchema,
  tokenPairSchema,
  type BrowserSession,
} from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import type { PlatformClient } from '../services/platform-client.ts';
import { errorResponses } from './error-responses.ts';

/**
 * Sign-in for the web dashboard, on the dashboard's own origin (no CORS), forwarded to
 * platform-service. What this adds over calling platform-service directly is where the refresh
 * token lives — OWASP's advice for single-page apps:
 *
 * - the refresh token is set as an `HttpOnly; SameSite=Strict; Path=/api/auth` cookie (plus
 *   `Secure` over HTTPS) and never appears in a response body, so script injected into the page
 *   cannot read it; the browser sends it only to these three routes;
 * - the access token (15 minutes) is returned in the body and kept in memory by the client;
 * - refresh and logout require a JSON object body. A cross-site page can only send "simple"
 *   bodies (form, text/plain) without a CORS preflight, which this server never grants, so it
 *   cannot make the browser refresh or end a session (CSRF) — SameSite=Strict is a second wall.
 *
 * Rotation and reuse detection stay platform-service's: a replayed refresh token revokes the whole
 * family, and the cookie is cleared whenever the platform refuses it.
 */
export function registerSessionRoutes(app: KestrelServer, deps: { platform: PlatformClient }): void {
  const tags = ['session'];
  const ok = { 200: browserSessionSchema, ...errorResponses };

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Sign in (dashboard): the refresh token is set as an HttpOnly cookie, the access token returned', body: loginRequestSchema, response: ok },
    },
    async (req, reply) => {
      const pair = await forward(req, '/auth/login', req.body);
      return issue(req, reply, pair);
    },
  );

  app.post(
    '/api/auth/refresh',
    {
      config: { access: 'public' },
      preValidation: requireJson,
      schema: { tags, summary: 'New access token from the session cookie (the cookie is rotated)', body: sessionActionRequestSchema, response: ok },
    },
    async (req, reply) => {
      const refreshToken = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (!refreshToken) throw new AppError('AUTH_REFRESH_INVALID', 'No session on this browser (the session cookie is missing or expired): sign in.');
      try {
        return issue(req, reply, await forward(req, '/auth/refresh', { refreshToken }));
      } catch (err) {
        // Refused for good (reused, revoked, expired, account disabled): the cookie is worthless now.
        if (err instanceof AppError && (err.status === 401 || err.status === 403 || err.code === 'VALIDATION_FAILED')) clearCookie(req, reply);
        throw err;
      }
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'public' },
      preValidation: requireJson,
      schema: { tags, summary: "End this browser's session: the refresh token family is revoked and the cookie cleared", body: sessionActionRequestSchema, response: { 204: z.null().describe('signed out'), ...errorResponses } },
    },
    async (req, reply) => {
      const refreshToken = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (refreshToken) await deps.platform.call({ method: 'POST', path: '/auth/logout', requestId: req.id, body: { refreshToken } });
      clearCookie(req, reply);
      return reply.status(204).send(null);
    },
  );

  // The client's address goes along, so platform-service can throttle failed logins per browser
  // when it trusts this hop (its TRUST_PROXY); otherwise it sees this backend's address.
  async function forward(req: FastifyRequest, path: string, body: unknown) {
    const raw = await deps.platform.call<unknown>({ method: 'POST', path, requestId: req.id, body, headers: { 'x-forwarded-for': req.ip } });
    const pair = tokenPairSchema.safeParse(raw);
    if (!pair.success) throw new AppError('DEPENDENCY_UNAVAILABLE', 'platform-service answered the sign-in with an unexpected body; check that both services run the same version.');
    return pair.data;
  }
}

function issue(req: FastifyRequest, reply: FastifyReply, pair: z.infer<typeof tokenPairSchema>): BrowserSession {
  reply.header('set-cookie', sessionCookie(req, pair.refreshToken, pair.refreshExpiresIn));
  reply.header('cache-control', 'no-store');
  const { refreshToken: _kept, ...session } = pair;
  return session;
}

function clearCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', sessionCookie(req, '', 0));
}

function sessionCookie(req: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const parts = [`${SESSION_COOKIE}=${value}`, `Path=${SESSION_COOKIE_PATH}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict'];
  // Browsers drop Secure cookies set over plain HTTP on other hosts than localhost; behind TLS
  // (TRUST_PROXY=true with X-Forwarded-Proto) the cookie is Secure.
  if (req.protocol === 'https') parts.push('Secure');
  return parts.join('; ');
}

/** The value of one cookie of a Cookie header (refresh tokens are base64url: no decoding needed). */
function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

async function requireJson(req: FastifyRequest): Promise<void> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send an empty JSON object ({}) with content-type: application/json.');
  }
}
