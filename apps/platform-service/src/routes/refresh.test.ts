import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenPair } from '@kestrel/contracts';
import { eq, refreshTokens } from '@kestrel/db';
import { dbTargets } from '@kestrel/db/testing';
import { hashRefreshToken } from '../services/refresh-tokens.ts';
import { createPlatformFixture, type PlatformFixture } from '../testing.ts';
import { call, errorOf, loginDemo, verifyWithJwks } from '../test-helpers.ts';

describe.each(dbTargets())('refresh tokens [%s]', (kind) => {
  let f: PlatformFixture;
  beforeAll(async () => {
    f = await createPlatformFixture({ kind });
  });
  afterAll(async () => f?.close());

  const refresh = (refreshToken: string) => call(f.app, 'POST', '/auth/refresh', { body: { refreshToken } });
  const logout = (refreshToken: string) => call(f.app, 'POST', '/auth/logout', { body: { refreshToken } });

  it('stores only the SHA-256 of the token, in a family', async () => {
    const pair = await loginDemo(f.app, 'viewer');
    const [row] = await f.database.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashRefreshToken(pair.refreshToken)));
    expect(row).toMatchObject({ userId: pair.user.id, tenantId: pair.user.tenantId, rotatedAt: null, revokedAt: null });
    const all = await f.database.db.select({ h: refreshTokens.tokenHash }).from(refreshTokens);
    expect(all.map((r) => r.h)).not.toContain(pair.refreshToken);
  });

  it('rotates: the new token works once; replaying the old one revokes the family, successor included', async () => {
    const first = await loginDemo(f.app, 'trader');
    const r1 = await refresh(first.refreshToken);
    expect(r1.statusCode).toBe(200);
    const second = r1.json<TokenPair>();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user).toEqual(first.user);
    await verifyWithJwks(f.app, second.accessToken, f.config.JWT_ISSUER);

    const r2 = await refresh(second.refreshToken);
    expect(r2.statusCode).toBe(200);
    const third = r2.json<TokenPair>();

    const replay = await refresh(first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(errorOf(replay).code).toBe('AUTH_REFRESH_REUSED');

    const successor = await refresh(third.refreshToken);
    expect(successor.statusCode).toBe(401);
    expect(['AUTH_REFRESH_REUSED', 'AUTH_REFRESH_INVALID']).toContain(errorOf(successor).code);

    const family = await f.database.db.select().from(refreshTokens).where(eq(refreshTokens.userId, first.user.id));
    const revoked = family.filter((r) => r.familyId === family.find((x) => x.tokenHash === hashRefreshToken(first.refreshToken))!.familyId);
    expect(revoked).toHaveLength(3);
    expect(revoked.every((r) => r.revokedAt !== null)).toBe(true);
    expect(revoked.find((r) => r.tokenHash === hashRefreshToken(third.refreshToken))?.revokedReason).toBe('reuse');
  });

  it('two concurrent refreshes with one token: exactly one wins', async () => {
    const pair = await loginDemo(f.app, 'viewer');
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(pair.refreshToken)));
    const ok = results.filter((r) => r.statusCode === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 200)) {
      expect(r.statusCode).toBe(401);
      expect(errorOf(r).code).toBe('AUTH_REFRESH_REUSED');
    }
  });

  it('an unknown or malformed token is AUTH_REFRESH_INVALID / 400', async () => {
    const unknown = await refresh('x'.repeat(43));
    expect(unknown.statusCode).toBe(401);
    expect(errorOf(unknown).code).toBe('AUTH_REFRESH_INVALID');
    const short = await refresh('short');
    expect(short.statusCode).toBe(400);
  });

  it('an expired token is AUTH_REFRESH_INVALID (not a reuse)', async () => {
    const pair = await loginDemo(f.app, 'viewer');
    f.clock.advance((f.config.REFRESH_TOKEN_TTL_SECONDS + 1) * 1000);
    const res = await refresh(pair.refreshToken);
    expect(errorOf(res).code).toBe('AUTH_REFRESH_INVALID');
    const [row] = await f.database.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashRefreshToken(pair.refreshToken)));
    expect(row?.revokedAt).toBeNull();
  });

  it('logout revokes the session and is idempotent', async () => {
    const pair = await loginDemo(f.app, 'admin');
    const next = (await refresh(pair.refreshToken)).json<TokenPair>();
    expect((await logout(next.refreshToken)).statusCode).toBe(204);
    const after = await refresh(next.refreshToken);
    expect(after.statusCode).toBe(401);
    expect(['AUTH_REFRESH_REUSED', 'AUTH_REFRESH_INVALID']).toContain(errorOf(after).code);
    expect((await logout(next.refreshToken)).statusCode).toBe(204);
    expect((await logout('y'.repeat(43))).statusCode).toBe(204);
  });

  it('a refresh picks up role changes and refuses disabled users', async () => {
    const operator = await loginDemo(f.app, 'operator');
    const created = await call(f.app, 'POST', `/tenants/${operator.user.tenantId}/users`, {
      token: operator.accessToken,
      body: { username: 'promoted', password: 'promoted-password', roles: ['viewer'] },
    });
    const user = created.json<{ id: string }>();
    const login = await call(f.app, 'POST', '/auth/login', { body: { username: 'promoted', password: 'promoted-password' } });
    const pair = login.json<TokenPair>();
    const patch = (body: object) => call(f.app, 'PATCH', `/tenants/${operator.user.tenantId}/users/${user.id}`, { token: operator.accessToken, body });

    expect((await patch({ roles: ['trader', 'viewer'] })).statusCode).toBe(200);
    const refreshed = (await refresh(pair.refreshToken)).json<TokenPair>();
    expect(refreshed.user.roles).toEqual(['viewer', 'trader']);

    expect((await patch({ status: 'disabled' })).statusCode).toBe(200);
    const refused = await refresh(refreshed.refreshToken);
    expect(refused.statusCode).toBe(401); // disabling revoked every refresh token of the user
  });
});
