import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, reconciliationRuns } from '@kestrel/db';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { io as connect, type Socket } from 'socket.io-client';
import { paperVenue, type PaperExchange } from '../trading/testing/paper-venue.ts';
import type { VenueProvider } from '../trading/venue.ts';

/** Reconciliation over the real HTTP API and the /admin socket; each exchange account has its own paper venue. */
describe.each(dbTargets())('reconciliation runs over REST and /admin [%s]', (kind) => {
  let stack: TestStack;
  const venues = new Map<string, PaperExchange>();
  const provider: VenueProvider = {
    venueFor: (account) => {
      if (!venues.has(account.id)) venues.set(account.id, paperVenue());
      return venues.get(account.id)!;
    },
  };
  const t: Record<string, string> = {};
  let accountA = '';
  let accountB = '';
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ kind, backendDeps: { venues: provider, senderOptions: { lookupIntervalMs: 15, minLookupMisses: 3, missWindowMs: 60 } } });
    for (const role of ['admin', 'trader', 'viewer', 'operator']) t[role] = (await stack.platform.login(role, `kestrel-${role}-demo`, 'demo')).accessToken;
    const b = await stack.platform.createTenant('bravo');
    t.adminB = (await stack.platform.login(b.users.admin.username, b.users.admin.password)).accessToken;
    const setUp = async (token: string) => {
      const account = (await stack.api('/api/exchange-accounts', { method: 'POST', token, body: { name: 'Paper', kind: 'paper' } })).body.id as string;
      const profile = await stack.api('/api/profiles', {
        method: 'POST',
        token,
        body: { name: 'Bot', exchangeAccountId: account, symbol: 'BTC/USDT', timeframe: '1m', strategy: 'sma-cross', capitalAllocation: '10000', riskLimits: { feeRate: '0.001' } },
      });
      const order = await stack.api('/api/orders', { method: 'POST', token, body: { profileId: profile.body.id, side: 'buy', type: 'market', quantity: '0.1' }, headers: { 'idempotency-key': `rec-${account}` } });
      expect(order.status, JSON.stringify(order.body)).toBe(201);
      return account;
    };
    accountA = await setUp(t.admin!);
    accountB = await setUp(t.adminB!);
    // Someone placed an order by hand at tenant A's exchange account.
    await provider.venueFor({ id: accountA, tenantId: '', kind: 'paper', venue: 'paper' })!.createOrder({ clientOrderId: 'web_manual_1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '1', price: '50' });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await stack?.close();
  });

  const openAdmin = (token: string) => {
    const s = connect(`${stack.backend.url}/admin`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(s);
    return new Promise<Socket>((resolve, reject) => {
      s.once('ready', () => resolve(s));
      s.once('connect_error', reject);
    });
  };
  const start = (exchangeAccountId: string, token = t.admin) => stack.api('/api/reconciliation/runs', { method: 'POST', token, body: { exchangeAccountId } });

  it('POST (admin) reconciles the account now: 201 with the stored run and its discrepancies; pushed on /admin to the tenant only; audited', async () => {
    const sA = await openAdmin(t.admin!);
    const sB = await openAdmin(t.adminB!);
    const got: Array<{ room: string; data: { id: string; status: string } }> = [];
    const gotB: unknown[] = [];
    sA.on('reconciliation.run', (e: { room: string; data: { id: string; status: string } }) => got.push(e));
    sB.on('reconciliation.run', (e: unknown) => gotB.push(e));

    const res = await start(accountA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ exchangeAccountId: accountA, trigger: 'manual', status: 'succeeded', error: null, discrepancyCount: 1 });
    expect(res.body.discrepancies).toEqual([
      expect.objectContaining({ kind: 'unknown_venue_order', clientOrderId: 'web_manual_1', orderId: null, resolution: 'flagged', details: expect.objectContaining({ message: expect.stringMatching(/left untouched/) }) }),
    ]);
    expect(res.body.summary).toMatchObject({ localOpenOrders: 0, venueOpenOrders: 1, venueOrdersFlagged: 1, ordersUpdated: 0, tradesApplied: 0, ordersLifecycleChecked: 1, discrepancies: 1 });
    // The order the admin did not place is still open at the exchange.
    expect((await venues.get(accountA)!.fetchOpenOrders()).map((o) => o.clientOrderId)).toEqual(['web_manual_1']);

    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toMatchObject({ room: expect.stringMatching(/^tenant:/), data: { id: res.body.id, status: 'succeeded' } });
    const audit = await stack.api('/api/admin/audit?action=reconciliation.run', { token: t.admin });
    expect(audit.body.items[0]).toMatchObject({ action: 'reconciliation.run', target: `exchange_account:${accountA}`, after: { runId: res.body.id, status: 'succeeded' } });
    expect(gotB).toEqual([]);
  });

  it('GET lists runs newest first with filters and cursor pagination; GET :id has the discrepancies; a bad cursor is 400', async () => {
    await start(accountA);
    await start(accountA, t.operator);
    const all = await stack.api(`/api/reconciliation/runs?exchangeAccountId=${accountA}`, { token: t.trader });
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeGreaterThanOrEqual(3);
    const starts = all.body.items.map((r: { startedAt: string }) => r.startedAt);
    expect([...starts].sort().reverse()).toEqual(starts);

    const first = await stack.api(`/api/reconciliation/runs?exchangeAccountId=${accountA}&limit=2`, { token: t.trader });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await stack.api(`/api/reconciliation/runs?exchangeAccountId=${accountA}&limit=2&cursor=${first.body.nextCursor}`, { token: t.trader });
    const ids = [...first.body.items, ...second.body.items].map((r: { id: string }) => r.id);
    expect(ids).toEqual(all.body.items.slice(0, ids.length).map((r: { id: string }) => r.id));
    expect(new Set(ids).size).toBe(ids.length);

    const succeeded = await stack.api('/api/reconciliation/runs?status=succeeded', { token: t.admin });
    expect(succeeded.body.items.every((r: { status: string }) => r.status === 'succeeded')).toBe(true);

    const detail = await stack.api(`/api/reconciliation/runs/${all.body.items[0].id}`, { token: t.trader });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: all.body.items[0].id, discrepancies: [expect.objectContaining({ kind: 'unknown_venue_order' })] });

    const bad = await stack.api('/api/reconciliation/runs?cursor=not-a-cursor', { token: t.trader });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.message).toMatch(/nextCursor/);
  });

  it('a venue that does not answer → 201 with status failed and an error saying what to do; listed with status=failed', async () => {
    venues.get(accountA)!.faults.script('fetchOpenOrders', { kind: 'timeout' });
    const res = await start(accountA);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'failed', discrepancies: [] });
    expect(res.body.error).toMatch(/TIMEOUT/);
    expect(res.body.error).toMatch(/run it again/);
    const failed = await stack.api(`/api/reconciliation/runs?status=failed&exchangeAccountId=${accountA}`, { token: t.admin });
    expect(failed.body.items.map((r: { id: string }) => r.id)).toContain(res.body.id);
  });

  it("cross-tenant: tenant B gets 404 on A's runs and A's account, and lists none of A's runs", async () => {
    const [runA] = await stack.backend.database.db.select().from(reconciliationRuns).where(eq(reconciliationRuns.exchangeAccountId, accountA)).limit(1);
    const other = await stack.api(`/api/reconciliation/runs/${runA!.id}`, { token: t.adminB });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('NOT_FOUND');
    const before = (await stack.backend.database.db.select().from(reconciliationRuns)).length;
    const onA = await start(accountA, t.adminB);
    expect(onA.status).toBe(404);
    expect((await stack.backend.database.db.select().from(reconciliationRuns)).length).toBe(before);
    const own = await start(accountB, t.adminB);
    expect(own.status).toBe(201);
    const list = await stack.api('/api/reconciliation/runs', { token: t.adminB });
    expect(list.body.items.map((r: { exchangeAccountId: string }) => r.exchangeAccountId)).toEqual([accountB]);
    expect(JSON.stringify(list.body)).not.toContain(accountA);
  });

  it('roles and bad input: a viewer may neither start nor read runs, a trader may not start one; a bad body is 400 and starts nothing', async () => {
    const before = (await stack.backend.database.db.select().from(reconciliationRuns)).length;
    for (const token of [t.viewer, t.trader]) {
      const res = await start(accountA, token);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await stack.api('/api/reconciliation/runs', { token: t.viewer })).status).toBe(403);
    for (const body of [{}, { exchangeAccountId: 'nope' }, { exchangeAccountId: accountA, extra: true }]) {
      const res = await stack.api('/api/reconciliation/runs', { method: 'POST', token: t.admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await stack.backend.database.db.select().from(reconciliationRuns)).length).toBe(before);
  });
});
