import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, decodeProtectedHeader, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import { eq, signingKeys } from '@kestrel/db';
import { dbTargets } from '@kestrel/db/testing';
import { createPlatformFixture, type PlatformFixture } from '../testing.ts';
import { call, errorOf, loginDemo, verifyWithJwks } from '../test-helpers.ts';

describe.each(dbTargets())('signing keys and bearer verification [%s]', (kind) => {
  let f: PlatformFixture;
  beforeAll(async () => {
    f = await createPlatformFixture({ kind });
  });
  afterAll(async () => f?.close());

  const jwks = async () => (await call(f.app, 'GET', '/.well-known/jwks.json')).json<JSONWebKeySet>();

  async function activeKey(): Promise<{ kid: string; key: CryptoKey }> {
    const [row] = await f.database.db.select().from(signingKeys).where(eq(signingKeys.status, 'active'));
    return { kid: row!.kid, key: (await importJWK(row!.privateJwk as JWK, 'EdDSA')) as CryptoKey };
  }

  /** A token signed with the real key; `edit` changes header or claims to test one check at a time. */
  async function forge(edit: { header?: Record<string, unknown>; claims?: Record<string, unknown>; exp?: number | null } = {}) {
    const { kid, key } = await activeKey();
    const admin = await loginDemo(f.app, 'operator');
    const now = Math.floor(f.clock.now() / 1000);
    // Registered claims go in the payload (not the setters) so `edit.claims` can override them.
    const payload: Record<string, unknown> = {
      iss: f.config.JWT_ISSUER,
      aud: 'kestrel-api',
      sub: admin.user.id,
      iat: now,
      exp: edit.exp ?? now + 60,
      tid: admin.user.tenantId,
      roles: ['operator'],
      usr: 'operator',
      ...edit.claims,
    };
    if (edit.exp === null) delete payload.exp;
    const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT', ...edit.header });
    return jwt.sign(key);
  }

  const listTenants = (token: string) => call(f.app, 'GET', '/tenants', { token });

  it('publishes only public Ed25519 keys, with kid, alg and use, cacheable for 5 minutes', async () => {
    const res = await call(f.app, 'GET', '/.well-known/jwks.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const { keys } = res.json<JSONWebKeySet>();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('accepts a well-formed token signed with the real key (the forging helper is sound)', async () => {
    expect((await listTenants(await forge())).statusCode).toBe(200);
  });

  it.each([
    ['no token', undefined, 'AUTH_TOKEN_MISSING'],
    ['garbage', 'not-a-jwt', 'AUTH_TOKEN_MALFORMED'],
  ])('refuses %s', async (_name, token, code) => {
    const res = await call(f.app, 'GET', '/tenants', token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe(code);
  });

  it('refuses alg "none" and HS256 before looking at the signature', async () => {
    const [h, p] = (await forge()).split('.');
    const header = (alg: string) => Buffer.from(JSON.stringify({ ...decodeProtectedHeader(`${h}.${p}.x`), alg })).toString('base64url');
    for (const token of [`${header('none')}.${p}.`, `${header('HS256')}.${p}.c2ln`]) {
      const res = await listTenants(token);
      expect(res.statusCode).toBe(401);
      expect(errorOf(res).code).toBe('AUTH_TOKEN_ALGORITHM');
    }
  });

  it('refuses a tampered signature, an unknown kid, a wrong issuer or audience, a missing exp, and an expired token', async () => {
    const good = await forge();
    const tampered = good.slice(0, -4) + (good.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const cases: Array<[string, string]> = [
      [tampered, 'AUTH_TOKEN_SIGNATURE'],
      [await forge({ header: { kid: 'unknown-kid' } }), 'AUTH_TOKEN_UNKNOWN_KEY'],
      [await forge({ claims: { iss: 'https://evil.example' } }), 'AUTH_TOKEN_CLAIMS'],
      [await forge({ claims: { aud: 'another-api' } }), 'AUTH_TOKEN_CLAIMS'],
      [await forge({ claims: { roles: ['superuser'] } }), 'AUTH_TOKEN_CLAIMS'],
      [await forge({ exp: null }), 'AUTH_TOKEN_CLAIMS'],
      [await forge({ exp: Math.floor(f.clock.now() / 1000) - 60 }), 'AUTH_TOKEN_EXPIRED'],
    ];
    for (const [token, code] of cases) {
      const res = await listTenants(token);
      expect.soft(res.json<{ error?: { code: string } }>().error?.code, code).toBe(code);
      expect.soft(res.statusCode).toBe(401);
    }
  });

  it('rotation: new tokens use the new kid, the old kid stays published and old tokens still verify until they expire', async () => {
    const before = await loginDemo(f.app, 'operator');
    const oldKid = decodeProtectedHeader(before.accessToken).kid;

    const viewer = await loginDemo(f.app, 'viewer');
    expect((await call(f.app, 'POST', '/keys/rotate', { token: viewer.accessToken })).statusCode).toBe(403);
    expect((await call(f.app, 'POST', '/keys/rotate')).statusCode).toBe(401);

    const rotated = await call(f.app, 'POST', '/keys/rotate', { token: before.accessToken });
    expect(rotated.statusCode).toBe(200);
    const { kid: newKid, retiredKid } = rotated.json<{ kid: string; retiredKid: string }>();
    expect(retiredKid).toBe(oldKid);
    expect(newKid).not.toBe(oldKid);

    expect((await jwks()).keys.map((k) => k.kid).sort()).toEqual([newKid, oldKid].sort());
    await verifyWithJwks(f.app, before.accessToken, f.config.JWT_ISSUER);
    expect((await listTenants(before.accessToken)).statusCode).toBe(200);

    const after = await loginDemo(f.app, 'operator');
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(newKid);
    await verifyWithJwks(f.app, after.accessToken, f.config.JWT_ISSUER);

    // Past the access-token lifetime (plus the grace) the retired key is no longer published.
    f.clock.advance((f.config.ACCESS_TOKEN_TTL_SECONDS + 180) * 1000);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([newKid]);
    const rows = await f.database.db.select().from(signingKeys);
    expect(rows.filter((r) => r.status === 'active')).toHaveLength(1);
  });

  it('concurrent rotations leave exactly one active key', async () => {
    const operator = await loginDemo(f.app, 'operator');
    const results = await Promise.all([0, 1, 2].map(() => call(f.app, 'POST', '/keys/rotate', { token: operator.accessToken })));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const active = await f.database.db.select().from(signingKeys).where(eq(signingKeys.status, 'active'));
    expect(active).toHaveLength(1);
  });
});
