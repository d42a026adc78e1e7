import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';

/**
 * Roles and tenant isolation through the real HTTP API: tokens come from platform-service
 * logins, never forged.
 */
describe.each(dbTargets())('roles and tenant isolation [%s]', (kind) => {
  let stack: TestStack;
  const tokens: Record<string, string> = {};
  let tenantA: string;
  let tenantB: string;

  beforeAll(async () => {
    stack = await startTestStack({ kind });
    for (const [role, pw] of Object.entries({ admin: 'kestrel-admin-demo', trader: 'kestrel-trader-demo', viewer: 'kestrel-viewer-demo', operator: 'kestrel-operator-demo' })) {
      const pair = await stack.platform.login(role, pw, 'demo');
      tokens[role] = pair.accessToken;
      tenantA = pair.user.tenantId;
    }
    const b = await stack.platform.createTenant('beta');
    tenantB = b.tenantId;
    tokens.adminB = (await stack.platform.login(b.users.admin.username, b.users.admin.password, 'beta')).accessToken;
    tokens.traderB = (await stack.platform.login(b.users.trader.username, b.users.trader.password, 'beta')).accessToken;
  });
  afterAll(async () => stack?.close());

  it('GET /api/user/me returns the user with tenant and roles', async () => {
    const res = await stack.api('/api/user/me', { token: tokens.trader });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: 'trader', tenantId: tenantA, roles: ['trader'] });
  });

  it('a viewer and a trader get 403 on PUT /api/trading/control; nothing changes', async () => {
    for (const role of ['viewer', 'trader']) {
      const res = await stack.api('/api/trading/control', { method: 'PUT', token: tokens[role], body: { scope: 'tenant', tradingEnabled: false, killSwitchReason: 'x' } });
      expect(res.status, role).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    const state = await stack.api('/api/trading/control', { token: tokens.viewer });
    expect(state.body.tenant.tradingEnabled).toBe(true);
  });

  it('an admin cannot flip the global switch; an operator can, and it is audited', async () => {
    const denied = await stack.api('/api/trading/control', { method: 'PUT', token: tokens.admin, body: { scope: 'global', tradingEnabled: false, killSwitchReason: 'nope' } });
    expect(denied.status).toBe(403);
    expect((await stack.api('/api/trading/control', { token: tokens.admin })).body.globalTradingEnabled).toBe(true);

    const off = await stack.api('/api/trading/control', {
      method: 'PUT',
      token: tokens.operator,
      body: { scope: 'global', tradingEnabled: false, killSwitchReason: 'exchange outage' },
      headers: { 'x-request-id': 'global-off-1' },
    });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ globalTradingEnabled: false, killSwitchReason: 'exchange outage', effectiveTradingEnabled: false });
    // Every tenant sees the global switch.
    const seenByB = await stack.api('/api/trading/control', { token: tokens.traderB });
    expect(seenByB.body).toMatchObject({ globalTradingEnabled: false, effectiveTradingEnabled: false });

    const audit = await stack.api('/api/admin/audit?action=trading.control.global', { token: tokens.operator });
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({
      tenantId: null,
      actorUsername: 'operator',
      action: 'trading.control.global',
      requestId: 'global-off-1',
      before: { tradingEnabled: true },
      after: { tradingEnabled: false, killSwitchReason: 'exchange outage' },
    });
    // A tenant admin does not read platform-wide entries.
    const adminView = await stack.api('/api/admin/audit', { token: tokens.admin });
    expect(adminView.body.items.filter((e: { tenantId: string | null }) => e.tenantId !== tenantA)).toEqual([]);

    // The design's own field names work too.
    const adminLegacy = await stack.api('/api/trading/control', { method: 'PUT', token: tokens.admin, body: { globalTradingEnabled: true } });
    expect(adminLegacy.status).toBe(403);
    const on = await stack.api('/api/trading/control', { method: 'PUT', token: tokens.operator, body: { globalTradingEnabled: true } });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ globalTradingEnabled: true, killSwitchReason: null });
  });

  it('turning trading off needs a reason (400 VALIDATION_FAILED, nothing changes)', async () => {
    const res = await stack.api('/api/trading/control', { method: 'PUT', token: tokens.admin, body: { scope: 'tenant', tradingEnabled: false } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect((await stack.api('/api/trading/control', { token: tokens.admin })).body.tenant.tradingEnabled).toBe(true);
  });

  it("cross-tenant: tenant B cannot read or change tenant A's preferences, control or audit entries", async () => {
    // A's admin sets A's state.
    await stack.api('/api/user/preferences', { method: 'PUT', token: tokens.admin, body: { theme: 'light', timezone: 'Europe/Paris' } });
    const flip = await stack.api('/api/trading/control', { method: 'PUT', token: tokens.admin, body: { scope: 'tenant', tradingEnabled: false, killSwitchReason: 'A only' } });
    expect(flip.status).toBe(200);

    // B's admin reads only B's state: B's switch is on, no A audit entry, own default preferences.
    const ctrlB = await stack.api('/api/trading/control', { token: tokens.adminB });
    expect(ctrlB.body.tenant).toMatchObject({ tenantId: tenantB, tradingEnabled: true, killSwitchReason: null });
    const auditB = await stack.api('/api/admin/audit', { token: tokens.adminB });
    expect(auditB.status).toBe(200);
    expect(JSON.stringify(auditB.body)).not.toContain(tenantA);
    expect(JSON.stringify(auditB.body)).not.toContain('A only');
    const prefsB = await stack.api('/api/user/preferences', { token: tokens.adminB });
    expect(prefsB.body.theme).toBe('dark');

    // B asking for A's audit by tenant filter gets B's own scope, never A's rows.
    const sneaky = await stack.api(`/api/admin/audit?tenantId=${tenantA}`, { token: tokens.adminB });
    expect(JSON.stringify(sneaky.body)).not.toContain('A only');

    // B flipping its own switch leaves A's untouched.
    await stack.api('/api/trading/control', { method: 'PUT', token: tokens.adminB, body: { scope: 'tenant', tradingEnabled: true } });
    const ctrlA = await stack.api('/api/trading/control', { token: tokens.admin });
    expect(ctrlA.body.tenant).toMatchObject({ tenantId: tenantA, tradingEnabled: false, killSwitchReason: 'A only' });
    expect((await stack.api('/api/user/preferences', { token: tokens.admin })).body).toMatchObject({ theme: 'light', timezone: 'Europe/Paris' });

    // The operator reads every tenant's entries.
    const all = await stack.api('/api/admin/audit', { token: tokens.operator });
    const tenantsSeen = new Set(all.body.items.map((e: { tenantId: string | null }) => e.tenantId));
    expect(tenantsSeen.has(tenantA)).toBe(true);
    await stack.api('/api/trading/control', { method: 'PUT', token: tokens.admin, body: { scope: 'tenant', tradingEnabled: true } });
  });

  it('viewers and traders get 403 on every admin and operator route', async () => {
    // Routes open to traders (placing orders, managing profiles) are checked in the next test.
    const guarded = stack.backend.app.kestrel.routes.filter((r) => r.access !== 'public' && !r.access.includes('viewer') && !r.access.includes('trader'));
    expect(guarded.length).toBeGreaterThanOrEqual(4);
    for (const route of guarded) {
      const path = route.url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      for (const role of ['viewer', 'trader']) {
        const res = await stack.api(path, { method: route.method, token: tokens[role], ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { body: {} } : {}) });
        expect(res.status, `${role} ${route.method} ${route.url}`).toBe(403);
      }
    }
  });

  it('viewers get 403 on every trading action (routes open to traders but not viewers)', async () => {
    const trading = stack.backend.app.kestrel.routes.filter((r) => r.access !== 'public' && r.access.includes('trader') && !r.access.includes('viewer'));
    expect(trading.length).toBeGreaterThanOrEqual(9);
    for (const route of trading) {
      const path = route.url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      const res = await stack.api(path, { method: route.method, token: tokens.viewer, ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { body: {} } : {}) });
      expect(res.status, `viewer ${route.method} ${route.url}`).toBe(403);
    }
  });

  it('every route declares who may call it', () => {
    for (const r of stack.backend.app.kestrel.routes) {
      expect(r.access === 'public' || r.access.length > 0, `${r.method} ${r.url}`).toBe(true);
    }
    const publicRoutes = stack.backend.app.kestrel.routes.filter((r) => r.access === 'public').map((r) => r.url);
    // The dashboard's session routes are public: they carry their own credentials (password or session cookie).
    expect(publicRoutes.sort()).toEqual(['/api/auth/login', '/api/auth/logout', '/api/auth/refresh', '/health/live', '/health/ready', '/metrics']);
  });

  it('preferences: defaults, partial update, validation, mass assignment refused', async () => {
    const viewer = tokens.viewer;
    const initial = await stack.api('/api/user/preferences', { token: viewer });
    expect(initial.body).toMatchObject({ theme: 'dark', timezone: 'UTC', notifications: { fills: true } });
    const put = await stack.api('/api/user/preferences', { method: 'PUT', token: viewer, body: { theme: 'light', notifications: { fills: false } } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ theme: 'light', timezone: 'UTC', notifications: { fills: false, riskDenials: true } });
    const bad = await stack.api('/api/user/preferences', { method: 'PUT', token: viewer, body: { timezone: 'Mars/Olympus' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const extra = await stack.api('/api/user/preferences', { method: 'PUT', token: viewer, body: { theme: 'dark', tenantId: tenantB, userId: 'x' } });
    expect(extra.status).toBe(400);
    expect((await stack.api('/api/user/preferences', { token: viewer })).body.theme).toBe('light');
  });
});
