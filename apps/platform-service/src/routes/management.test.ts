import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant, TokenPair, User } from '@kestrel/contracts';
import { and, eq, isNull, refreshTokens, users } from '@kestrel/db';
import { dbTargets } from '@kestrel/db/testing';
import { createPlatformFixture, type PlatformFixture } from '../testing.ts';
import { call, errorOf, loginDemo, loginOk } from '../test-helpers.ts';

describe.each(dbTargets())('tenant and user management [%s]', (kind) => {
  let f: PlatformFixture;
  let operator: TokenPair;
  let demoTenantId: string;
  /** Tenant A and B, each with an admin. */
  const t: Record<'a' | 'b', { tenant: Tenant; admin: TokenPair }> = {} as never;

  beforeAll(async () => {
    f = await createPlatformFixture({ kind });
    operator = await loginDemo(f.app, 'operator');
    demoTenantId = operator.user.tenantId;
    for (const key of ['a', 'b'] as const) {
      const res = await call(f.app, 'POST', '/tenants', { token: operator.accessToken, body: { slug: `tenant-${key}`, name: `Tenant ${key.toUpperCase()}` } });
      expect(res.statusCode).toBe(201);
      const tenant = res.json<Tenant>();
      const created = await call(f.app, 'POST', `/tenants/${tenant.id}/users`, {
        token: operator.accessToken,
        body: { username: `admin-${key}`, password: `admin-${key}-password`, roles: ['admin'] },
      });
      expect(created.statusCode).toBe(201);
      t[key] = { tenant, admin: await loginOk(f.app, `admin-${key}`, `admin-${key}-password`) };
    }
  });
  afterAll(async () => f?.close());

  const usersUrl = (tenantId: string) => `/tenants/${tenantId}/users`;

  it('operators list, read, create and update tenants', async () => {
    const list = await call(f.app, 'GET', '/tenants?limit=2', { token: operator.accessToken });
    expect(list.statusCode).toBe(200);
    const page = list.json<{ items: Tenant[]; nextCursor: string | null }>();
    expect(page.items.map((x) => x.slug)).toEqual(['demo', 'tenant-a']);
    const next = await call(f.app, 'GET', `/tenants?limit=2&cursor=${page.nextCursor}`, { token: operator.accessToken });
    expect(next.json<{ items: Tenant[] }>().items.map((x) => x.slug)).toContain('tenant-b');

    const dup = await call(f.app, 'POST', '/tenants', { token: operator.accessToken, body: { slug: 'tenant-a', name: 'again' } });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup).code).toBe('CONFLICT');

    const renamed = await call(f.app, 'PATCH', `/tenants/${t.b.tenant.id}`, { token: operator.accessToken, body: { name: 'Tenant Bee' } });
    expect(renamed.json<Tenant>()).toMatchObject({ name: 'Tenant Bee', slug: 'tenant-b', status: 'active' });
    expect((await call(f.app, 'GET', `/tenants/${t.b.tenant.id}`, { token: operator.accessToken })).json<Tenant>().name).toBe('Tenant Bee');
    const missing = await call(f.app, 'PATCH', `/tenants/${crypto.randomUUID()}`, { token: operator.accessToken, body: { name: 'x' } });
    expect(missing.statusCode).toBe(404);
  });

  it('viewers and traders get 403; admins may not manage tenants', async () => {
    for (const role of ['viewer', 'trader'] as const) {
      const pair = await loginDemo(f.app, role);
      for (const [method, url, body] of [
        ['GET', usersUrl(demoTenantId), undefined],
        ['POST', usersUrl(demoTenantId), { username: 'sneaky', password: 'sneaky-password', roles: ['admin'] }],
        ['GET', '/tenants', undefined],
      ] as const) {
        const res = await call(f.app, method, url, { token: pair.accessToken, body });
        expect(res.statusCode, `${role} ${method} ${url}`).toBe(403);
        expect(errorOf(res).code).toBe('FORBIDDEN');
      }
    }
    const admin = await call(f.app, 'GET', '/tenants', { token: t.a.admin.accessToken });
    expect(admin.statusCode).toBe(403);
    const create = await call(f.app, 'POST', '/tenants', { token: t.a.admin.accessToken, body: { slug: 'by-admin', name: 'x' } });
    expect(create.statusCode).toBe(403);
  });

  it('an admin manages the users of their own tenant', async () => {
    const token = t.a.admin.accessToken;
    const created = await call(f.app, 'POST', usersUrl(t.a.tenant.id), {
      token,
      body: { username: 'Trader.One', password: 'trader-one-password', displayName: 'Trader One', roles: ['trader', 'viewer', 'trader'] },
    });
    expect(created.statusCode).toBe(201);
    const user = created.json<User>();
    expect(user).toMatchObject({ username: 'trader.one', displayName: 'Trader One', roles: ['viewer', 'trader'], status: 'active', tenantId: t.a.tenant.id });
    expect(user).not.toHaveProperty('passwordHash');

    const list = await call(f.app, 'GET', usersUrl(t.a.tenant.id), { token });
    expect(list.json<{ items: User[] }>().items.map((u) => u.username)).toEqual(['admin-a', 'trader.one']);

    const dup = await call(f.app, 'POST', usersUrl(t.a.tenant.id), { token, body: { username: 'trader.one', password: 'another-password', roles: ['viewer'] } });
    expect(dup.statusCode).toBe(409);

    const patched = await call(f.app, 'PATCH', `${usersUrl(t.a.tenant.id)}/${user.id}`, { token, body: { displayName: 'T1', roles: ['admin'] } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json<User>()).toMatchObject({ displayName: 'T1', roles: ['admin'] });
  });

  it('an admin may not grant operator, nor edit an operator of their tenant', async () => {
    const create = await call(f.app, 'POST', usersUrl(t.a.tenant.id), {
      token: t.a.admin.accessToken,
      body: { username: 'wannabe', password: 'wannabe-password', roles: ['operator'] },
    });
    expect(create.statusCode).toBe(403);
    expect(errorOf(create).code).toBe('FORBIDDEN');
    const self = await call(f.app, 'PATCH', `${usersUrl(t.a.tenant.id)}/${t.a.admin.user.id}`, { token: t.a.admin.accessToken, body: { roles: ['admin', 'operator'] } });
    expect(self.statusCode).toBe(403);

    const demoAdmin = await loginDemo(f.app, 'admin');
    const takeover = await call(f.app, 'PATCH', `${usersUrl(demoTenantId)}/${operator.user.id}`, { token: demoAdmin.accessToken, body: { password: 'hijacked-password' } });
    expect(takeover.statusCode).toBe(403);
    await loginDemo(f.app, 'operator'); // password unchanged

    const byOperator = await call(f.app, 'POST', usersUrl(t.a.tenant.id), {
      token: operator.accessToken,
      body: { username: 'second-operator', password: 'second-operator-pw', roles: ['operator'] },
    });
    expect(byOperator.statusCode).toBe(201);
  });

  it('an admin of tenant B gets 404 for tenant A and its users, the same as for ids that do not exist', async () => {
    const token = t.b.admin.accessToken;
    const targetId = t.a.admin.user.id;
    const responses = [
      await call(f.app, 'GET', usersUrl(t.a.tenant.id), { token }),
      await call(f.app, 'POST', usersUrl(t.a.tenant.id), { token, body: { username: 'intruder', password: 'intruder-password', roles: ['viewer'] } }),
      await call(f.app, 'PATCH', `${usersUrl(t.a.tenant.id)}/${targetId}`, { token, body: { status: 'disabled' } }),
      // Tenant A's user addressed through tenant B's own URL: row-level security hides it.
      await call(f.app, 'PATCH', `${usersUrl(t.b.tenant.id)}/${targetId}`, { token, body: { status: 'disabled' } }),
      await call(f.app, 'GET', usersUrl(crypto.randomUUID()), { token }),
    ];
    for (const res of responses) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    const [row] = await f.database.db.select().from(users).where(eq(users.id, targetId));
    expect(row?.status).toBe('active');
  });

  it('refuses extra fields in bodies (no mass assignment)', async () => {
    const token = t.a.admin.accessToken;
    for (const [method, url, body] of [
      ['POST', usersUrl(t.a.tenant.id), { username: 'mass', password: 'mass-assign-pw', roles: ['viewer'], tenantId: t.b.tenant.id }],
      ['POST', usersUrl(t.a.tenant.id), { username: 'mass', password: 'mass-assign-pw', roles: ['viewer'], passwordHash: 'x' }],
      ['PATCH', `${usersUrl(t.a.tenant.id)}/${t.a.admin.user.id}`, { tenantId: t.b.tenant.id }],
      ['PATCH', `${usersUrl(t.a.tenant.id)}/${t.a.admin.user.id}`, { username: 'renamed' }],
    ] as const) {
      const res = await call(f.app, method, url, { token, body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('VALIDATION_FAILED');
    }
    const tenant = await call(f.app, 'POST', '/tenants', { token: operator.accessToken, body: { slug: 'x-tenant', name: 'x', status: 'disabled' } });
    expect(tenant.statusCode).toBe(400);
  });

  it('a password change or disabling revokes the user’s refresh tokens; a disabled tenant cannot sign in', async () => {
    const token = operator.accessToken;
    const created = await call(f.app, 'POST', usersUrl(t.b.tenant.id), { token, body: { username: 'rotating', password: 'first-password', roles: ['trader'] } });
    const user = created.json<User>();
    const session = await loginOk(f.app, 'rotating', 'first-password');
    const live = () =>
      f.database.db.select().from(refreshTokens).where(and(eq(refreshTokens.userId, user.id), isNull(refreshTokens.revokedAt)));
    expect(await live()).toHaveLength(1);

    await call(f.app, 'PATCH', `${usersUrl(t.b.tenant.id)}/${user.id}`, { token, body: { password: 'second-password' } });
    expect(await live()).toHaveLength(0);
    expect((await call(f.app, 'POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } })).statusCode).toBe(401);
    await loginOk(f.app, 'rotating', 'second-password');

    const disabled = await call(f.app, 'PATCH', `/tenants/${t.b.tenant.id}`, { token, body: { status: 'disabled' } });
    expect(disabled.json<Tenant>().status).toBe('disabled');
    expect(await live()).toHaveLength(0);
    const login = await call(f.app, 'POST', '/auth/login', { body: { username: 'rotating', password: 'second-password' } });
    expect(errorOf(login).code).toBe('AUTH_ACCOUNT_DISABLED');
    // The admin's still-valid access token no longer opens management routes.
    const stale = await call(f.app, 'GET', usersUrl(t.b.tenant.id), { token: t.b.admin.accessToken });
    expect(stale.statusCode).toBe(403);
    expect(errorOf(stale).code).toBe('AUTH_ACCOUNT_DISABLED');
    await call(f.app, 'PATCH', `/tenants/${t.b.tenant.id}`, { token, body: { status: 'active' } });
  });
});
