import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '@kestrel/db/testing';
import { SESSION_COOKIE, type BrowserSession, type ErrorEnvelope } from '@kestrel/contracts';
import { startTestStack, type TestStack } from '@kestrel/test-stack';

/**
 * The dashboard's sign-in on the backend's origin: the refresh token lives only in an HttpOnly
 * cookie, rotation and reuse detection are platform-service's, and the cookie is cleared when the
 * platform refuses it.
 */
describe.each(dbTargets())('dashboard routes: browser session and strategies [%s]', (kind) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ kind });
  });
  afterAll(async () => stack?.close());

  const post = (path: string, body: unknown, cookie?: string, contentType = 'application/json') =>
    fetch(`${stack.backend.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const errorOf = async (res: Response) => ((await res.json()) as ErrorEnvelope).error;
  const cookieOf = (res: Response) => /kestrel_refresh=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

  it('signs in: the access token in the body, the refresh token only in an HttpOnly SameSite=Strict cookie on /api/auth', async () => {
    const res = await post('/api/auth/login', { username: 'trader', password: 'kestrel-trader-demo', tenant: 'demo' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as BrowserSession;
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number), user: { username: 'trader', roles: ['trader'] } });
    expect(body).not.toHaveProperty('refreshToken');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^kestrel_refresh=[\w-]{43}; Path=\/api\/auth; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await stack.api('/api/user/me', { token: body.accessToken })).body.username).toBe('trader');
  });

  it('a wrong password is 401 AUTH_INVALID_CREDENTIALS and sets no cookie', async () => {
    const res = await post('/api/auth/login', { username: 'trader', password: 'nope-nope-nope' });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refreshes from the cookie and rotates it; replaying the old cookie revokes the family, so the new one dies too', async () => {
    const first = cookieOf(await post('/api/auth/login', { username: 'viewer', password: 'kestrel-viewer-demo' }))!;
    const refreshed = await post('/api/auth/refresh', {}, first);
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as BrowserSession).accessToken).toMatch(/^ey/);
    const second = cookieOf(refreshed)!;
    expect(second).not.toBe(first);

    const replay = await post('/api/auth/refresh', {}, first);
    expect(replay.status).toBe(401);
    expect((await errorOf(replay)).code).toBe('AUTH_REFRESH_REUSED');
    expect(replay.headers.get('set-cookie')).toMatch(/^kestrel_refresh=; Path=\/api\/auth; Max-Age=0/);
    const victim = await post('/api/auth/refresh', {}, second);
    expect(victim.status).toBe(401);
  });

  it('refuses a refresh without the cookie, or without a JSON body (no cross-site form can trigger it)', async () => {
    const none = await post('/api/auth/refresh', {});
    expect(none.status).toBe(401);
    expect(await errorOf(none)).toMatchObject({ code: 'AUTH_REFRESH_INVALID', message: expect.stringMatching(/sign in/) });
    const cookie = cookieOf(await post('/api/auth/login', { username: 'admin', password: 'kestrel-admin-demo' }))!;
    const form = await post('/api/auth/refresh', '{}', cookie, 'text/plain');
    expect(form.status).toBe(415);
    expect((await errorOf(form)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await post('/api/auth/refresh', {}, cookie)).status).toBe(200);
  });

  it('logout ends the session: 204, the cookie cleared, the refresh token revoked', async () => {
    const cookie = cookieOf(await post('/api/auth/login', { username: 'admin', password: 'kestrel-admin-demo' }))!;
    const out = await post('/api/auth/logout', {}, cookie);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await post('/api/auth/refresh', {}, cookie)).status).toBe(401);
    expect((await post('/api/auth/logout', {})).status).toBe(204);
  });

  it('lists the built-in strategies with the JSON Schema of their parameters', async () => {
    const { accessToken } = await stack.platform.login('viewer', 'kestrel-viewer-demo', 'demo');
    const res = await stack.api('/api/strategies', { token: accessToken });
    expect(res.status).toBe(200);
    expect(res.body.items.map((s: { id: string }) => s.id)).toEqual(['sma-cross', 'rsi-mean-reversion', 'donchian-breakout', 'grid']);
    expect(res.body.items[0].paramsSchema.properties.fast).toMatchObject({ type: 'integer', default: 10, minimum: 1, title: 'Fast SMA period' });
    expect((await stack.api('/api/strategies')).status).toBe(401);
  });
});
