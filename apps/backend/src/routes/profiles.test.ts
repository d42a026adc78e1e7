import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { dbTargets } from '@kestrel/db/testing';
import { storedBalances } from '../trading/ledger-store.ts';
import { startTestStack, type TestStack } from '@kestrel/test-stack';

type Envelope = { room: string; seq: number; data: { profileId: string; status: string } };

describe.each(dbTargets())('profiles [%s]', (kind) => {
  let stack: TestStack;
  const t: Record<string, string> = {};
  let accountId = '';
  let bAccountId = '';
  const sockets: Socket[] = [];
  const profileBody = (over: Record<string, unknown> = {}) => ({
    name: 'SMA bot',
    exchangeAccountId: accountId,
    symbol: 'BTC/USDT',
    timeframe: '1m',
    strategy: 'sma-cross',
    strategyParams: { fast: 5, slow: 20 },
    rules: { maxTradesPerDay: 10 },
    riskLimits: { maxOrderNotional: '5000', priceBand: '0.05' },
    capitalAllocation: '10000',
    ...over,
  });

  beforeAll(async () => {
    stack = await startTestStack({ kind });
    for (const role of ['admin', 'trader', 'viewer']) t[role] = (await stack.platform.login(role, `kestrel-${role}-demo`, 'demo')).accessToken;
    const b = await stack.platform.createTenant('bravo');
    t.traderB = (await stack.platform.login(b.users.trader.username, b.users.trader.password)).accessToken;
    accountId = (await stack.api('/api/exchange-accounts', { method: 'POST', token: t.trader, body: { name: 'Paper', kind: 'paper' } })).body.id;
    bAccountId = (await stack.api('/api/exchange-accounts', { method: 'POST', token: t.traderB, body: { name: 'Paper', kind: 'paper' } })).body.id;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await stack?.close();
  });

  it('creates a profile with validated strategy parameters (defaults filled in) and deposits its capital in the ledger', async () => {
    const res = await stack.api('/api/profiles', { method: 'POST', token: t.trader, body: profileBody({ strategyParams: { fast: 5 } }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'stopped', tradingState: 'ACTIVE', quoteCurrency: 'USDT', mode: 'paper', capitalAllocation: '10000', strategyParams: { fast: 5, slow: 30 }, version: 1 });
    const balances = await stack.backend.database.withTenant({ allTenants: true }, (tx) => storedBalances(tx, res.body.id));
    expect(balances.map((b) => [b.account, b.balance.toFixed()])).toEqual([['cash', '10000'], ['external', '-10000']]);
    expect((await stack.api('/api/profiles', { token: t.viewer })).body.items).toHaveLength(1);
  });

  it('refuses bad strategy parameters with STRATEGY_PARAMS_INVALID and the zod issues; unknown strategies, bad rules, mass assignment and viewers', async () => {
    const bad = await stack.api('/api/profiles', { method: 'POST', token: t.trader, body: profileBody({ name: 'x', strategyParams: { fast: 30, slow: 20 } }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('STRATEGY_PARAMS_INVALID');
    expect(bad.body.error.details[0]).toMatchObject({ path: '/strategyParams/fast' });
    const unknown = await stack.api('/api/profiles', { method: 'POST', token: t.trader, body: profileBody({ name: 'x', strategy: 'moon' }) });
    expect(unknown.body.error.code).toBe('STRATEGY_UNKNOWN');
    const rules = await stack.api('/api/profiles', { method: 'POST', token: t.trader, body: profileBody({ name: 'x', rules: { session: { timeZone: 'Mars/Olympus' } } }) });
    expect(rules.body.error.code).toBe('VALIDATION_FAILED');
    const extra = await stack.api('/api/profiles', { method: 'POST', token: t.trader, body: { ...profileBody({ name: 'x' }), status: 'running', tenantId: '00000000-0000-4000-8000-000000000000' } });
    expect(extra.status).toBe(400);
    const money = await stack.api('/api/profiles', { method: 'POST', token: t.trader, body: profileBody({ name: 'x', capitalAllocation: 1e3 }) });
    expect(money.status).toBe(400);
    expect((await stack.api('/api/profiles', { method: 'POST', token: t.viewer, body: profileBody({ name: 'x' }) })).status).toBe(403);
    const live = await stack.api('/api/profiles', { method: 'POST', token: t.trader, body: profileBody({ name: 'x', mode: 'live' }) });
    expect(live.status).toBe(403);
    const dup = await stack.api('/api/profiles', { method: 'POST', token: t.trader, body: profileBody() });
    expect(dup.status).toBe(409);
  });

  it('updates with optimistic versions and books allocation changes; start, pause, stop are audited and pushed to the tenant and profile rooms only', async () => {
    const [p] = (await stack.api('/api/profiles', { token: t.trader })).body.items;
    const upd = await stack.api(`/api/profiles/${p.id}`, { method: 'PATCH', token: t.trader, body: { capitalAllocation: '12000', version: 1 } });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ capitalAllocation: '12000', version: 2 });
    expect((await stack.api(`/api/profiles/${p.id}`, { method: 'PATCH', token: t.trader, body: { name: 'late', version: 1 } })).status).toBe(409);
    const less = await stack.api(`/api/profiles/${p.id}`, { method: 'PATCH', token: t.trader, body: { capitalAllocation: '9000' } });
    expect(less.body.capitalAllocation).toBe('9000');
    const balances = await stack.backend.database.withTenant({ allTenants: true }, (tx) => storedBalances(tx, p.id));
    expect(balances.find((b) => b.account === 'cash')?.balance.toFixed()).toBe('9000');

    const open = (token: string) => {
      const s = connect(`${stack.backend.url}/trading`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      return new Promise<Socket>((resolve, reject) => {
        s.once('ready', () => resolve(s));
        s.once('connect_error', reject);
      });
    };
    const sA = await open(t.viewer!);
    const sB = await open(t.traderB!);
    const ack = (s: Socket, profileId: string) => new Promise<{ ok: boolean; room?: string; error?: { code: string } }>((resolve) => s.emit('subscribe.profile', { profileId }, resolve));
    expect(await ack(sA, p.id)).toMatchObject({ ok: true, room: `profile:${p.id}` });
    expect(await ack(sB, p.id)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const gotA: Envelope[] = [];
    const gotB: Envelope[] = [];
    sA.on('profile.state', (e: Envelope) => gotA.push(e));
    sB.on('profile.state', (e: Envelope) => gotB.push(e));

    const early = await stack.api(`/api/profiles/${p.id}/pause`, { method: 'POST', token: t.trader });
    expect(early.status, JSON.stringify(early.body)).toBe(409);
    for (const [action, status] of [['start', 'running'], ['pause', 'paused'], ['stop', 'stopped']] as const) {
      const r = await stack.api(`/api/profiles/${p.id}/${action}`, { method: 'POST', token: t.trader, body: { reason: `test ${action}` } });
      expect(r.status, action).toBe(200);
      expect(r.body.status).toBe(status);
    }
    await new Promise((r) => setTimeout(r, 300));
    const inProfileRoom = gotA.filter((e) => e.room === `profile:${p.id}`).map((e) => e.data.status);
    expect(inProfileRoom).toEqual(['running', 'paused', 'stopped']);
    expect(gotA.filter((e) => e.room.startsWith('tenant:')).map((e) => e.data.status)).toEqual(['running', 'paused', 'stopped']);
    expect(gotB).toEqual([]);
    const audit = await stack.api('/api/admin/audit', { token: t.admin });
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    for (const a of ['profile.create', 'profile.update', 'profile.start', 'profile.pause', 'profile.stop']) expect(actions).toContain(a);
  });

  it("cross-tenant: tenant B gets 404 on A's profile for every /api/profiles/:id route, and cannot use A's exchange account", async () => {
    const [p] = (await stack.api('/api/profiles', { token: t.trader })).body.items;
    const routes = stack.backend.app.kestrel.routes.filter((r) => r.url.startsWith('/api/profiles/:id'));
    expect(routes.length).toBeGreaterThanOrEqual(6);
    for (const r of routes) {
      const res = await stack.api(r.url.replace(':id', p.id), { method: r.method, token: t.traderB, ...(['POST', 'PATCH', 'PUT'].includes(r.method) ? { body: {} } : {}) });
      expect(res.status, `${r.method} ${r.url}`).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('SMA bot');
    }
    const viaAccount = await stack.api('/api/profiles', { method: 'POST', token: t.traderB, body: profileBody({ exchangeAccountId: accountId }) });
    expect(viaAccount.status).toBe(404);
    expect((await stack.api(`/api/exchange-accounts/${accountId}`, { token: t.traderB })).status).toBe(404);
    expect((await stack.api(`/api/exchange-accounts/${accountId}`, { method: 'DELETE', token: t.traderB })).status).toBe(404);
    expect((await stack.api('/api/profiles', { method: 'POST', token: t.traderB, body: profileBody({ exchangeAccountId: bAccountId }) })).status).toBe(201);
    // Still A's, unchanged.
    expect((await stack.api(`/api/profiles/${p.id}`, { token: t.trader })).body.name).toBe(p.name);
  });

  it('deletes a stopped profile (soft: its ledger stays); an account in use cannot be deleted', async () => {
    const [p] = (await stack.api('/api/profiles', { token: t.trader })).body.items;
    expect((await stack.api(`/api/exchange-accounts/${accountId}`, { method: 'DELETE', token: t.trader })).body.error.code).toBe('EXCHANGE_ACCOUNT_IN_USE');
    expect((await stack.api(`/api/profiles/${p.id}`, { method: 'DELETE', token: t.trader })).status).toBe(204);
    expect((await stack.api(`/api/profiles/${p.id}`, { token: t.trader })).status).toBe(404);
    expect((await stack.api('/api/profiles', { token: t.trader })).body.items).toHaveLength(0);
  });
});
