import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, createRemoteJWKSet, importJWK, jwtVerify, type CryptoKey } from 'jose';
import { ACCESS_TOKEN_AUDIENCE } from '@kestrel/contracts';
import { dbTargets } from '@kestrel/db/testing';
import { DEMO_LOGINS, startTestPlatform, type TestPlatform } from './platform.ts';

describe.each(dbTargets())('startTestPlatform [%s]', (kind) => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ kind, config: { ACCESS_TOKEN_TTL_SECONDS: 60 } });
  });
  afterAll(async () => p?.close());

  it('listens on a free port and signs in the demo users; tokens verify against its JWKS over HTTP', async () => {
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(p.config.ACCESS_TOKEN_TTL_SECONDS).toBe(60);
    const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', p.url));
    for (const l of DEMO_LOGINS) {
      const pair = await p.login(l.username, l.password, 'demo');
      const { payload } = await jwtVerify(pair.accessToken, jwks, { issuer: p.config.JWT_ISSUER, audience: ACCESS_TOKEN_AUDIENCE });
      expect(payload.roles).toEqual([l.role]);
    }
    await expect(p.login('admin', 'wrong-password')).rejects.toThrow(/401/);
  });

  it('creates tenants with an admin, a trader and a viewer who can sign in', async () => {
    const t = await p.createTenant('harness');
    for (const role of ['admin', 'trader', 'viewer'] as const) {
      const u = t.users[role];
      const pair = await p.login(u.username, u.password);
      expect(pair.user).toEqual({ id: u.id, username: u.username, tenantId: t.tenantId, roles: [role] });
    }
    const another = await p.createTenant();
    expect(another.tenantId).not.toBe(t.tenantId);
  });

  it('exposes the active signing key, so tests can forge tokens the platform accepts', async () => {
    const { kid, privateJwk, publicJwk } = await p.activeSigningKey();
    expect(publicJwk).not.toHaveProperty('d');
    const operator = await p.login('operator', 'kestrel-operator-demo');
    const forged = await new SignJWT({ tid: operator.user.tenantId, roles: ['operator'], usr: 'operator' })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
      .setIssuer(p.config.JWT_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setSubject(operator.user.id)
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign((await importJWK(privateJwk, 'EdDSA')) as CryptoKey);
    const res = await fetch(`${p.url}/tenants`, { headers: { authorization: `Bearer ${forged}`, 'x-request-id': 'harness-req-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('harness-req-1');
    expect(p.logs.some((l) => l.requestId === 'harness-req-1')).toBe(true);
  });
});
