import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '@kestrel/db/testing';
import { SESSION_COOKIE } from '@kestrel/contracts';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { createApi, createKestrelClient, type KestrelClient } from './client.ts';
import { ApiError } from './errors.ts';
import { HttpClient } from './http.ts';
import { Session, localCoordination, type SessionCoordination, type SessionMessage } from './session.ts';
import { cookieSessionTransport, storedTokenSessionTransport } from './session-transport.ts';
import { cookieFetch } from './testing/cookie-fetch.ts';

/** Two "tabs" of one browser: one lock, and what one posts the other hears. */
function sharedTabs(): [SessionCoordination, SessionCoordination, SessionMessage[]] {
  const { lock } = localCoordination();
  const listeners: Array<Set<(m: SessionMessage) => void>> = [new Set(), new Set()];
  const posted: SessionMessage[] = [];
  const tab = (me: number): SessionCoordination => ({
    lock,
    post: (m) => {
      posted.push(m);
      for (const l of listeners[1 - me]!) l(m);
    },
    listen: (h) => {
      listeners[me]!.add(h);
      return () => listeners[me]!.delete(h);
    },
  });
  return [tab(0), tab(1), posted];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(dbTargets())('api-client session against the real services [%s]', (kind) => {
  let stack: TestStack;
  const clients: KestrelClient[] = [];
  const client = (over: Partial<Parameters<typeof createKestrelClient>[0]> = {}) => {
    const c = createKestrelClient({ baseUrl: stack.backend.url, fetch: cookieFetch().fetch, ...over });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    // Three-second access tokens: silent refresh and expiry happen within a test.
    stack = await startTestStack({ kind, platform: { ACCESS_TOKEN_TTL_SECONDS: 3 } });
  });
  afterAll(async () => {
    for (const c of clients) c.session.dispose();
    await stack?.close();
  });

  it('signs in, calls the API with typed answers, and says who is signed in', async () => {
    const c = client();
    expect(c.session.state.get()).toEqual({ status: 'unknown' });
    const user = await c.session.login({ username: 'trader', password: 'kestrel-trader-demo' });
    expect(user).toMatchObject({ username: 'trader', roles: ['trader'] });
    expect(c.session.state.get()).toMatchObject({ status: 'signed-in', user: { username: 'trader' } });
    expect(await c.api.user.me()).toMatchObject({ username: 'trader', tenantId: user.tenantId });
    expect((await c.api.tradingControl.get()).effectiveTradingEnabled).toBe(true);
  });

  it('a refusal rejects with the server code and message; validation issues are per field', async () => {
    const c = client();
    await expect(c.session.login({ username: 'trader', password: 'wrong-password' })).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS', status: 401 });
    await c.session.login({ username: 'admin', password: 'kestrel-admin-demo' });
    const err = await c.api.tradingControl.update({ scope: 'tenant', tradingEnabled: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, requestId: expect.any(String) });
    expect((err as ApiError).fieldIssues()).toEqual([expect.objectContaining({ path: '/killSwitchReason' })]);
    const viewer = client();
    await viewer.session.login({ username: 'viewer', password: 'kestrel-viewer-demo' });
    await expect(viewer.api.admin.audit()).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('admin') });
  });

  it('resumes a session from the cookie after a reload, and is signed out (without an error) when there is none', async () => {
    const { fetch, jar } = cookieFetch();
    const first = client({ fetch });
    await first.session.login({ username: 'viewer', password: 'kestrel-viewer-demo' });
    first.session.dispose();
    const reloaded = client({ fetch });
    expect(await reloaded.session.resume()).toMatchObject({ status: 'signed-in', user: { username: 'viewer' } });
    expect(jar.has(SESSION_COOKIE)).toBe(true);
    expect(await client().session.resume()).toEqual({ status: 'signed-out', reason: null });
  });

  it('renews the access token silently before it expires: calls keep working past the first token’s lifetime', async () => {
    const c = client();
    await c.session.login({ username: 'trader', password: 'kestrel-trader-demo' });
    const firstToken = await c.session.accessToken();
    const firstExpiry = (c.session.state.get() as { expiresAt: number }).expiresAt;
    await sleep(3_500);
    expect(await c.session.accessToken()).not.toBe(firstToken);
    expect((c.session.state.get() as { expiresAt: number }).expiresAt).toBeGreaterThan(firstExpiry);
    expect((await c.api.user.me()).username).toBe('trader');
  });

  it('on a 401 for an expired token, refreshes once and repeats the request', async () => {
    // A frozen clock and no timer: the session believes its token is fresh; the server knows it expired.
    const http = new HttpClient({ baseUrl: stack.backend.url, fetch: cookieFetch().fetch });
    const frozen = Date.now();
    const session = new Session({ transport: cookieSessionTransport(http), now: () => frozen });
    http.useTokens(session);
    await session.login({ username: 'trader', password: 'kestrel-trader-demo' });
    session.dispose();
    const stale = await session.accessToken();
    await sleep(3_200);
    expect((await createApi(http).user.me()).username).toBe('trader');
    expect(await session.accessToken()).not.toBe(stale);
  });

  it('a replayed refresh token signs the session out in every tab, with the reason', async () => {
    const { fetch, jar } = cookieFetch();
    const [tabA, tabB, posted] = sharedTabs();
    const a = client({ fetch, coordination: tabA });
    const b = client({ fetch, coordination: tabB });
    await a.session.login({ username: 'trader', password: 'kestrel-trader-demo' });
    await b.session.resume();
    expect(b.session.state.get().status).toBe('signed-in');

    // An attacker copied the cookie; the victim's tab refreshes first, then the attacker replays it.
    const stolen = jar.get(SESSION_COOKIE)!;
    await a.session.refresh();
    const replay = await globalThis.fetch(`${stack.backend.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${stolen}` },
      body: '{}',
    });
    expect(replay.status).toBe(401);

    // The family is revoked: the victim's next refresh is refused, and both tabs end.
    await expect(a.session.refresh()).rejects.toMatchObject({ code: 'AUTH_REFRESH_REUSED' });
    expect(a.session.state.get()).toMatchObject({ status: 'signed-out', reason: { code: 'AUTH_REFRESH_REUSED' } });
    expect(b.session.state.get()).toMatchObject({ status: 'signed-out', reason: { code: 'AUTH_REFRESH_REUSED' } });
    expect(posted).toContainEqual(expect.objectContaining({ type: 'signed-out', code: 'AUTH_REFRESH_REUSED' }));
    await expect(a.api.user.me()).rejects.toMatchObject({ code: 'SESSION_ENDED' });
  });

  it('two tabs refreshing at the same moment take turns, so the server never sees a reuse', async () => {
    const { fetch } = cookieFetch();
    const [tabA, tabB] = sharedTabs();
    const a = client({ fetch, coordination: tabA });
    const b = client({ fetch, coordination: tabB });
    await a.session.login({ username: 'viewer', password: 'kestrel-viewer-demo' });
    await b.session.resume();
    await Promise.all([a.session.refresh(), b.session.refresh(), a.session.refresh(), b.session.refresh()]);
    expect(a.session.state.get().status).toBe('signed-in');
    expect(b.session.state.get().status).toBe('signed-in');
    expect((await b.api.user.me()).username).toBe('viewer');
  });

  it('logout ends the session in every tab; the cookie no longer resumes it', async () => {
    const { fetch } = cookieFetch();
    const [tabA, tabB] = sharedTabs();
    const a = client({ fetch, coordination: tabA });
    const b = client({ fetch, coordination: tabB });
    await a.session.login({ username: 'admin', password: 'kestrel-admin-demo' });
    await b.session.resume();
    await b.session.logout();
    expect(a.session.state.get()).toEqual({ status: 'signed-out', reason: null });
    expect(await client({ fetch }).session.resume()).toEqual({ status: 'signed-out', reason: null });
  });

  it('native apps: the refresh token from platform-service in a secure store, rotated on each refresh', async () => {
    let saved: string | null = null;
    const store = { get: async () => saved, set: async (t: string) => void (saved = t), clear: async () => void (saved = null) };
    const platform = new HttpClient({ baseUrl: stack.platform.url });
    const c = client({ transport: () => storedTokenSessionTransport(platform, store) });
    await c.session.login({ username: 'trader', password: 'kestrel-trader-demo' });
    const first = saved;
    expect(first).toMatch(/^[\w-]{43}$/);
    await c.session.refresh();
    expect(saved).not.toBe(first);
    expect((await c.api.user.me()).username).toBe('trader');
    await c.session.logout();
    expect(saved).toBeNull();
  });
});
