import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '@kestrel/contracts';
import { startTestStack, type TestStack } from '@kestrel/test-stack';

/** The built dashboard served by the backend: files, the SPA fallback, and the API never shadowed. */
describe('web dashboard served by the backend', () => {
  let stack: TestStack;
  const dist = mkdtempSync(join(tmpdir(), 'kestrel-web-'));
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-abc.js"></script></body></html>');
    writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log("kestrel")');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    mkdirSync(join(dist, '.vite'));
    writeFileSync(join(dist, '.vite', 'manifest.json'), '{"index.html":{"file":"assets/index-abc.js","isEntry":true}}');
    stack = await startTestStack({ kind: 'pglite', backendDeps: { webDistDir: dist } });
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${stack.backend.url}${path}`);

  it('serves index.html at / and at every client-side route, uncached and with a strict CSP', async () => {
    for (const path of ['/', '/orders', '/bots/6b657374-7265-4c00-8000-64656d6f0001', '/admin/audit?action=x']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('<div id="root">');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('serves hashed assets for a year and other files for an hour; a missing asset is a 404, not the page', async () => {
    const asset = await get('/assets/index-abc.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toContain('kestrel');
    const icon = await get('/favicon.svg');
    expect(icon.headers.get('cache-control')).toBe('public, max-age=3600');
    expect((await get('/assets/index-old.js')).status).toBe(404);
  });

  it('never shadows the API, the docs, health or metrics: unknown API paths keep the JSON 404', async () => {
    const unknown = await get('/api/no-such-route');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorEnvelope).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('/api/no-such-route') });
    expect((await get('/api/user/me')).status).toBe(401);
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/docs/json')).headers.get('content-type')).toMatch(/json/);
    expect((await get('/metrics')).headers.get('content-type')).toMatch(/^text\/plain/);
    for (const path of ['/socket.io/nope', '/docs/nope/deeper', '/health/nope', '/metrics/x']) {
      expect((await get(path)).headers.get('content-type'), path).not.toMatch(/^text\/html/);
    }
    // Only whole path segments are reserved: a client route that merely starts with the same letters is the page.
    expect((await get('/healthy-bots')).headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('cannot be walked out of its folder, and keeps build metadata (dot folders) to itself', async () => {
    expect(await (await get('/.vite/manifest.json')).text()).not.toContain('isEntry');
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fpackage.json']) {
      const res = await get(path);
      expect(await res.text(), path).not.toMatch(/root:|"name"/);
    }
  });
});
