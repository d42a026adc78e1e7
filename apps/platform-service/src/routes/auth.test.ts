import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { eq, users } from '@kestrel/db';
import { dbTargets } from '@kestrel/db/testing';
import { createPlatformFixture, type PlatformFixture } from '../testing.ts';
import { call, demo, errorOf, login, loginDemo, loginOk, verifyWithJwks } from '../test-helpers.ts';

describe.each(dbTargets())('sign-in [%s]', (kind) => {
  let f: PlatformFixture;
  beforeAll(async () => {
    f = await createPlatformFixture({ kind, config: { LOGIN_MAX_FAILURES_PER_USER: 5, LOGIN_MAX_FAILURES_PER_IP: 20 } });
  });
  afterAll(async () => f?.close());

  it('returns a token pair whose access token verifies against the JWKS with the expected claims', async () => {
    const pair = await loginDemo(f.app, 'trader');
    expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: f.config.ACCESS_TOKEN_TTL_SECONDS, refreshExpiresIn: f.config.REFRESH_TOKEN_TTL_SECONDS });
    expect(pair.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { payload, protectedHeader } = await verifyWithJwks(f.app, pair.accessToken, f.config.JWT_ISSUER);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
    expect(typeof protectedHeader.kid).toBe('string');
    expect(payload).toMatchObject({ iss: f.config.JWT_ISSUER, aud: 'kestrel-api', sub: pair.user.id, tid: pair.user.tenantId, roles: ['trader'], usr: 'trader' });
    expect(payload.exp! - payload.iat!).toBe(f.config.ACCESS_TOKEN_TTL_SECONDS);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts the username in any case and the tenant slug', async () => {
    const pair = await loginOk(f.app, 'ADMIN', demo('admin').password, 'demo');
    expect(pair.user).toMatchObject({ username: 'admin', roles: ['admin'] });
  });

  it('answers byte-identical errors for an unknown user and a wrong password', async () => {
    const unknown = await login(f.app, 'nobody-here', 'whatever-password', { ip: '10.0.0.1' });
    const wrong = await login(f.app, 'viewer', 'not-the-password', { ip: '10.0.0.2' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const strip = (body: string) => body.replace(/"requestId":"[^"]*"/, '"requestId":""');
    expect(strip(unknown.body)).toBe(strip(wrong.body));
    expect(errorOf(unknown).code).toBe('AUTH_INVALID_CREDENTIALS');
    // Same headers apart from the per-request ones.
    const keys = (h: Record<string, unknown>) => Object.keys(h).filter((k) => !['x-request-id', 'date', 'x-ratelimit-remaining'].includes(k)).sort();
    expect(keys(unknown.headers)).toEqual(keys(wrong.headers));
  });

  it('an unknown tenant slug is a plain invalid-credentials answer', async () => {
    const res = await login(f.app, 'admin', demo('admin').password, { tenant: 'no-such-tenant', ip: '10.0.0.3' });
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('stores passwords as Argon2id hashes', async () => {
    const rows = await f.database.db.select({ hash: users.passwordHash }).from(users);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const r of rows) expect(r.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('throttles a username after LOGIN_MAX_FAILURES_PER_USER failures, even with the right password, from any IP', async () => {
    // A dedicated user so other tests are not throttled.
    const operator = await loginDemo(f.app, 'operator');
    const tenantId = operator.user.tenantId;
    const created = await call(f.app, 'POST', `/tenants/${tenantId}/users`, {
      token: operator.accessToken,
      body: { username: 'throttled-user', password: 'right-password-1', roles: ['viewer'] },
    });
    expect(created.statusCode).toBe(201);
    for (let i = 0; i < 5; i++) {
      const res = await login(f.app, 'throttled-user', 'wrong-password', { ip: `10.1.0.${i}` });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await login(f.app, 'throttled-user', 'right-password-1', { ip: '10.1.1.1' });
    expect(blocked.statusCode).toBe(429);
    expect(errorOf(blocked).code).toBe('LOGIN_THROTTLED');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(f.config.LOGIN_THROTTLE_WINDOW_SECONDS);

    // Once the window has passed the right password works, and success clears the counter.
    f.clock.advance(f.config.LOGIN_THROTTLE_WINDOW_SECONDS * 1000);
    expect((await login(f.app, 'throttled-user', 'right-password-1', { ip: '10.1.1.1' })).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(f.app, 'throttled-user', 'wrong', { ip: '10.1.2.1' })).statusCode).toBe(401);
    expect((await login(f.app, 'throttled-user', 'right-password-1', { ip: '10.1.2.2' })).statusCode).toBe(200);
  });

  it('throttles a client IP after LOGIN_MAX_FAILURES_PER_IP failures across many usernames', async () => {
    const ip = '10.2.0.1';
    for (let i = 0; i < 20; i++) expect((await login(f.app, `spray-${i}`, 'guess-password', { ip })).statusCode).toBe(401);
    const blocked = await login(f.app, demo('viewer').username, demo('viewer').password, { ip });
    expect(blocked.statusCode).toBe(429);
    expect(errorOf(blocked).code).toBe('LOGIN_THROTTLED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Other clients are unaffected.
    expect((await login(f.app, demo('viewer').username, demo('viewer').password, { ip: '10.2.0.2' })).statusCode).toBe(200);
  });

  it('tells "disabled" only after a correct password', async () => {
    const operator = await loginDemo(f.app, 'operator');
    const created = await call(f.app, 'POST', `/tenants/${operator.user.tenantId}/users`, {
      token: operator.accessToken,
      body: { username: 'to-disable', password: 'right-password-2', roles: ['viewer'] },
    });
    const id = created.json<{ id: string }>().id;
    await f.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, id));
    const wrong = await login(f.app, 'to-disable', 'wrong-password', { ip: '10.3.0.1' });
    expect(errorOf(wrong).code).toBe('AUTH_INVALID_CREDENTIALS');
    const right = await login(f.app, 'to-disable', 'right-password-2', { ip: '10.3.0.1' });
    expect(right.statusCode).toBe(403);
    expect(errorOf(right).code).toBe('AUTH_ACCOUNT_DISABLED');
  });

  it('one username in two tenants: the slug picks one; without it the password decides', async () => {
    const operator = await loginDemo(f.app, 'operator');
    const ids: string[] = [];
    for (const [slug, password] of [['twin-a', 'password-of-a'], ['twin-b', 'password-of-b']] as const) {
      const t = await call(f.app, 'POST', '/tenants', { token: operator.accessToken, body: { slug, name: slug } });
      ids.push(t.json<{ id: string }>().id);
      const u = await call(f.app, 'POST', `/tenants/${ids.at(-1)}/users`, { token: operator.accessToken, body: { username: 'twin', password, roles: ['viewer'] } });
      expect(u.statusCode).toBe(201);
    }
    expect((await loginOk(f.app, 'twin', 'password-of-b', 'twin-b')).user.tenantId).toBe(ids[1]);
    expect((await loginOk(f.app, 'twin', 'password-of-a')).user.tenantId).toBe(ids[0]);
    expect(errorOf(await login(f.app, 'twin', 'password-of-a', { tenant: 'twin-b', ip: '10.4.0.1' })).code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('refuses unknown body fields (strict schema)', async () => {
    const res = await call(f.app, 'POST', '/auth/login', { body: { username: 'admin', password: 'x', roles: ['operator'] } });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('VALIDATION_FAILED');
  });

  it('echoes the caller’s x-request-id and logs it with the request', async () => {
    const res = await call(f.app, 'POST', '/auth/login', { body: { username: 'viewer', password: demo('viewer').password }, headers: { 'x-request-id': 'trace-abc-123' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
    expect(f.logs.some((l) => l.requestId === 'trace-abc-123')).toBe(true);
    const generated = await call(f.app, 'GET', '/health');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never logs passwords or tokens', async () => {
    await loginDemo(f.app, 'viewer');
    const text = JSON.stringify(f.logs);
    for (const l of [demo('viewer'), demo('admin')]) expect(text).not.toContain(l.password);
    const pair = await loginDemo(f.app, 'admin');
    expect(JSON.stringify(f.logs)).not.toContain(pair.refreshToken);
    expect(decodeProtectedHeader(pair.accessToken).alg).toBe('EdDSA');
  });
});
