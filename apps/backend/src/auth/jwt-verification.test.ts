import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';
import { ACCESS_TOKEN_AUDIENCE } from '@kestrel/contracts';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';

const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

describe.each(dbTargets())('JWT negative suite against the backend [%s]', (kind) => {
  let stack: TestStack;
  let kid: string;
  let privateKey: Awaited<ReturnType<typeof importJWK>>;
  let publicJwk: JWK;
  let issuer: string;
  let claims: { sub: string; tid: string; roles: string[]; usr: string };
  let validToken: string;

  beforeAll(async () => {
    stack = await startTestStack({ kind, backend: { JWKS_COOLDOWN_MS: 30_000 } });
    const key = await stack.platform.activeSigningKey();
    kid = key.kid;
    publicJwk = key.publicJwk as JWK;
    privateKey = await importJWK(key.privateJwk as JWK, 'EdDSA');
    issuer = stack.platform.config.JWT_ISSUER;
    const pair = await stack.platform.login('trader', 'kestrel-trader-demo');
    validToken = pair.accessToken;
    claims = { sub: pair.user.id, tid: pair.user.tenantId, roles: pair.user.roles, usr: pair.user.username };
  });
  afterAll(async () => stack?.close());

  const now = () => Math.floor(Date.now() / 1000);
  const sign = (opts: { payload?: Record<string, unknown>; exp?: number | null; iss?: string; aud?: string; kid?: string; key?: Awaited<ReturnType<typeof importJWK>> }) => {
    let jwt = new SignJWT({ ...claims, ...(opts.payload ?? {}) })
      .setProtectedHeader({ alg: 'EdDSA', kid: opts.kid ?? kid, typ: 'JWT' })
      .setIssuer(opts.iss ?? issuer)
      .setAudience(opts.aud ?? ACCESS_TOKEN_AUDIENCE)
      .setSubject(claims.sub)
      .setIssuedAt();
    if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? now() + 300);
    return jwt.sign(opts.key ?? privateKey);
  };
  const me = (token: string) => stack.api('/api/user/me', { token });

  it('accepts a genuine token from platform-service, and a token forged here with the real key', async () => {
    expect((await me(validToken)).status).toBe(200);
    const res = await me(await sign({}));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: claims.sub, tenantId: claims.tid, roles: claims.roles });
  });

  it('alg "none" → 401 AUTH_TOKEN_ALGORITHM', async () => {
    const token = `${b64url({ alg: 'none', typ: 'JWT', kid })}.${b64url({ ...claims, iss: issuer, aud: ACCESS_TOKEN_AUDIENCE, exp: now() + 300 })}.`;
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH_TOKEN_ALGORITHM');
  });

  it('HS256 signed with the public key → 401 AUTH_TOKEN_ALGORITHM', async () => {
    for (const secret of [JSON.stringify(publicJwk), String(publicJwk.x)]) {
      const token = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setSubject(claims.sub)
        .setExpirationTime(now() + 300)
        .sign(new TextEncoder().encode(secret));
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('AUTH_TOKEN_ALGORITHM');
    }
  });

  it('expired → 401 AUTH_TOKEN_EXPIRED', async () => {
    const res = await me(await sign({ exp: now() - 10 }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('no exp → 401 AUTH_TOKEN_CLAIMS', async () => {
    const res = await me(await sign({ exp: null }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH_TOKEN_CLAIMS');
  });

  it('wrong iss → 401 AUTH_TOKEN_CLAIMS', async () => {
    const res = await me(await sign({ iss: 'https://evil.example' }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH_TOKEN_CLAIMS');
  });

  it('wrong aud → 401 AUTH_TOKEN_CLAIMS', async () => {
    const res = await me(await sign({ aud: 'some-other-api' }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH_TOKEN_CLAIMS');
  });

  it('missing tenant/roles claims → 401 AUTH_TOKEN_CLAIMS', async () => {
    const res = await me(await sign({ payload: { tid: undefined, roles: [] } }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH_TOKEN_CLAIMS');
  });

  it('unknown kid → 401 AUTH_TOKEN_UNKNOWN_KEY, and a flood of unknown kids cannot make the backend hammer the JWKS', async () => {
    const { privateKey: otherKey } = await generateKeyPair('EdDSA');
    const jwksFetches = () =>
      stack.platform.logs.filter((l) => (l.req as { url?: string } | undefined)?.url === '/.well-known/jwks.json').length;
    const before = jwksFetches();
    for (let i = 0; i < 25; i++) {
      const res = await me(await sign({ kid: `forged-${randomUUID()}`, key: otherKey }));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('AUTH_TOKEN_UNKNOWN_KEY');
    }
    // At most one re-fetch per cooldown window (30 s here), whatever the number of forged kids.
    expect(jwksFetches() - before).toBeLessThanOrEqual(1);
  });

  it('tampered payload (roles raised to operator, signature kept) → 401 AUTH_TOKEN_SIGNATURE', async () => {
    const [h, p, s] = validToken.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${b64url({ ...payload, roles: ['operator'] })}.${s}`;
    const res = await me(tampered);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH_TOKEN_SIGNATURE');
  });

  it('garbage and missing tokens → 401 AUTH_TOKEN_MALFORMED / AUTH_TOKEN_MISSING', async () => {
    expect((await me('not-a-jwt')).body.error.code).toBe('AUTH_TOKEN_MALFORMED');
    const none = await stack.api('/api/user/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('AUTH_TOKEN_MISSING');
    const basic = await stack.api('/api/user/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.body.error.code).toBe('AUTH_TOKEN_MALFORMED');
  });
});
