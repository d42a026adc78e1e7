import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '@kestrel/db/testing';
import { createLogger } from '@kestrel/server-kit';
import { buildPlatformApp } from './app.ts';
import { createPlatformFixture, type PlatformFixture } from './testing.ts';
import { call, errorOf } from './test-helpers.ts';

describe.each(dbTargets())('platform app [%s]', (kind) => {
  let f: PlatformFixture;
  beforeAll(async () => {
    f = await createPlatformFixture({ kind, config: { RATE_LIMIT_PER_MINUTE: 5 } });
  });
  afterAll(async () => f?.close());

  it('GET /health reports the database', async () => {
    const res = await call(f.app, 'GET', '/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', checks: { database: { ok: true, latencyMs: expect.any(Number) } } });
  });

  it('GET /health answers 503 "down" when the database fails', async () => {
    const broken = { ...f.database, ping: () => Promise.reject(new Error('connection refused')) };
    const app = await buildPlatformApp({ config: f.config, database: broken, logger: createLogger({ name: 't', level: 'silent' }) });
    try {
      const res = await call(app, 'GET', '/health');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'down', checks: { database: { ok: false, error: 'database unreachable' } } });
    } finally {
      await app.close();
    }
  });

  it('rate limits per client IP with 429 RATE_LIMITED and Retry-After, but never /health', async () => {
    const ip = '192.0.2.10';
    for (let i = 0; i < 5; i++) expect((await call(f.app, 'GET', '/.well-known/jwks.json', { ip })).statusCode).toBe(200);
    const limited = await call(f.app, 'GET', '/.well-known/jwks.json', { ip });
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-request-id']).toBeTruthy();
    for (let i = 0; i < 10; i++) expect((await call(f.app, 'GET', '/health', { ip })).statusCode).toBe(200);
    expect((await call(f.app, 'GET', '/.well-known/jwks.json', { ip: '192.0.2.11' })).statusCode).toBe(200);
  });

  it('serves the OpenAPI document with every route', async () => {
    const res = await call(f.app, 'GET', '/docs/json', { ip: '192.0.2.20' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/.well-known/jwks.json',
        '/auth/login',
        '/auth/logout',
        '/auth/refresh',
        '/health',
        '/keys/rotate',
        '/tenants',
        '/tenants/{tenantId}',
        '/tenants/{tenantId}/users',
        '/tenants/{tenantId}/users/{userId}',
      ].sort(),
    );
  });

  it('unknown routes answer the error envelope with the request id', async () => {
    const res = await call(f.app, 'GET', '/nope', { ip: '192.0.2.21', headers: { 'x-request-id': 'req-42' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(errorOf(res)).toMatchObject({ code: 'NOT_FOUND', requestId: 'req-42' });
  });
});
