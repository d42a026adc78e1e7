import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { KestrelServer } from '@kestrel/server-kit';

/** Paths that belong to the API and the operations endpoints: the dashboard never answers them. */
const RESERVED = /^\/(api|socket\.io|docs|health|metrics)(\/|$)/;

/**
 * The page's Content-Security-Policy. Tokens live in memory and the refresh token in an HttpOnly
 * cookie, so script injection is the threat left: only this origin's own scripts run, and the page
 * talks only to this origin (REST and the Socket.IO websocket). Styles allow inline attributes:
 * the chart library builds some elements (its attribution among them) from markup with style
 * attributes; a style cannot run code, so this leaves script injection closed.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built web dashboard (apps/web/dist) from the backend, so `npm start` gives one
 * origin for the page, the REST API and the sockets. Hashed files under /assets are cached for a
 * year; any other GET that is not a file is a client-side route and gets index.html (never cached,
 * so a new build is picked up on reload). Reserved prefixes (/api, /socket.io, /docs, /health,
 * /metrics) fall through to the API's 404, so the SPA fallback never hides an API error.
 */
export async function registerWebApp(app: KestrelServer, opts: { distDir: string }): Promise<void> {
  const root = normalize(opts.distDir);
  await app.register(async (scope) => {
    // serve: false — no route per file (each route must declare its access); this one route does.
    // Dot folders (Vite's .vite/manifest.json) are build metadata, not part of the site.
    await scope.register(fastifyStatic, { root, serve: false, index: false, dotfiles: 'ignore' });
    scope.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
      const path = decodedPath(req.url);
      if (path === null || RESERVED.test(path)) return reply.callNotFound();
      securityHeaders(reply);
      if (path.startsWith('/assets/')) {
        return reply.sendFile(path.slice(1), { maxAge: '365d', immutable: true });
      }
      if (path !== '/' && isFileUnder(root, path)) return reply.sendFile(path.slice(1), { maxAge: '1h' });
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html', { cacheControl: false });
    });
  });
}

function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
}

/** The URL's path, percent-decoded; null when it does not decode (answered like any unknown path). */
function decodedPath(url: string): string | null {
  try {
    return decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return null;
  }
}

/** A regular file inside the dist folder (`..` cannot climb out: such paths get index.html). */
function isFileUnder(root: string, path: string): boolean {
  const full = join(root, path);
  if (!full.startsWith(root + sep)) return false;
  try {
    return existsSync(full) && statSync(full).isFile();
  } catch {
    return false;
  }
}
