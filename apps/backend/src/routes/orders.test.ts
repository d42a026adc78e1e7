import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, orders } from '@kestrel/db';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { io as connect, type Socket } from 'socket.io-client';
import { paperVenue, singleVenue, type PaperExchange } from '../trading/testing/paper-venue.ts';

describe.each(dbTargets())('orders, positions and ledger over REST [%s]', (kind) => {
  let stack: TestStack;
  let venue: PaperExchange;
  const t: Record<string, string> = {};
  let profileId = '';
  let bProfileId = '';

  beforeAll(async () => {
    venue = paperVenue();
    stack = await startTestStack({ kind, backendDeps: { venues: singleVenue(venue), senderOptions: { lookupIntervalMs: 15, minLookupMisses: 3, missWindowMs: 60 } } });
    for (const role of ['admin', 'trader', 'viewer']) t[role] = (await stack.platform.login(role, `kestrel-${role}-demo`, 'demo')).accessToken;
    const b = await stack.platform.createTenant('bravo');
    t.traderB = (await stack.platform.login(b.users.trader.username, b.users.trader.password)).accessToken;
    const mk = async (token: string) => {
      const account = (await stack.api('/api/exchange-accounts', { method: 'POST', token, body: { name: 'Paper', kind: 'paper' } })).body.id;
      const p = await stack.api('/api/profiles', {
        method: 'POST',
        token,
        body: { name: 'Manual', exchangeAccountId: account, symbol: 'BTC/USDT', timeframe: '1m', strategy: 'sma-cross', capitalAllocation: '10000', riskLimits: { priceBand: '0.05', feeRate: '0.001' } },
      });
      return p.body.id as string;
    };
    profileId = await mk(t.trader!);
    bProfileId = await mk(t.traderB!);
  });
  const sockets: Socket[] = [];
  afterAll(async () => {
    for (const s of sockets) s.close();
    await stack?.close();
  });

  const place = (body: Record<string, unknown>, key?: string, token = t.trader) =>
    stack.api('/api/orders', { method: 'POST', token, body: { profileId, ...body }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });

  it('idempotency key: 50 parallel requests with one key → one order; every one gets the first response; another body → 422', async () => {
    expect((await place({ side: 'buy', type: 'market', quantity: '0.1' })).body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const all = await Promise.all(Array.from({ length: 50 }, () => place({ side: 'buy', type: 'market', quantity: '0.1' }, 'key-50')));
    expect(all.map((r) => r.status)).toEqual(Array(50).fill(201));
    const ids = new Set(all.map((r) => r.body.order.id));
    expect(ids.size).toBe(1);
    expect(all.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    const first = all.find((r) => r.headers.get('idempotent-replayed') !== 'true')!;
    for (const r of all) expect(r.body).toEqual(first.body);
    const rows = await stack.backend.database.db.select().from(orders).where(eq(orders.profileId, profileId));
    expect(rows).toHaveLength(1);
    expect(venue.engine.stats.submitted).toBe(1);

    const other = await place({ side: 'buy', type: 'market', quantity: '0.2' }, 'key-50');
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // The same key in another tenant is another key.
    const elsewhere = await stack.api('/api/orders', { method: 'POST', token: t.traderB, body: { profileId: bProfileId, side: 'buy', type: 'market', quantity: '0.1' }, headers: { 'idempotency-key': 'key-50' } });
    expect(elsewhere.status).toBe(201);
  });

  it('a denied manual order is 422 ORDER_DENIED with the decision; its replay is the same refusal, with no second decision', async () => {
    const denied = await place({ side: 'buy', type: 'market', quantity: '500' }, 'big-1');
    expect(denied.status).toBe(422);
    expect(denied.body.error).toMatchObject({ code: 'ORDER_DENIED', details: { decision: { outcome: 'denied', code: 'RISK_INSUFFICIENT_CAPITAL' } } });
    const again = await place({ side: 'buy', type: 'market', quantity: '500' }, 'big-1');
    expect(again.status).toBe(422);
    expect(again.body.error.details.decision.id).toBe(denied.body.error.details.decision.id);
    const decisions = await stack.api(`/api/profiles/${profileId}/decisions?outcome=denied`, { token: t.viewer });
    expect(decisions.body.items).toHaveLength(1);
    expect(decisions.body.items[0]).toMatchObject({ code: 'RISK_INSUFFICIENT_CAPITAL', source: 'manual' });
    expect((await place({ side: 'buy', type: 'market', quantity: '0.1' }, 'viewer-1', t.viewer)).status).toBe(403);
  });

  it('lists with filters and cursor pagination; detail has the lifecycle history and fills; positions and ledger agree', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await place({ side: 'buy', type: 'limit', price: '96', quantity: '0.1' }, `limit-${i}`);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const page1 = await stack.api(`/api/orders?profileId=${profileId}&limit=2`, { token: t.viewer });
    expect(page1.body.items).toHaveLength(2);
    const page2 = await stack.api(`/api/orders?profileId=${profileId}&limit=2&cursor=${page1.body.nextCursor}`, { token: t.viewer });
    expect(page2.body.items).toHaveLength(2);
    expect(page2.body.nextCursor).toBeNull();
    const seen = [...page1.body.items, ...page2.body.items].map((o: { id: string }) => o.id);
    expect(new Set(seen).size).toBe(4);
    const open = await stack.api('/api/orders?status=accepted&side=buy&symbol=BTC/USDT', { token: t.viewer });
    expect(open.body.items).toHaveLength(3);
    const filled = (await stack.api('/api/orders?status=filled', { token: t.viewer })).body.items[0];
    const detail = await stack.api(`/api/orders/${filled.id}`, { token: t.viewer });
    expect(detail.body.history.map((h: { to: string }) => h.to)).toEqual(['submitted', 'accepted', 'filled']);
    expect(detail.body.fills).toHaveLength(1);
    expect(detail.body.fills[0]).toMatchObject({ quantity: '0.1', price: '100', fee: '0.01' });

    const positions = await stack.api(`/api/positions?profileId=${profileId}`, { token: t.viewer });
    expect(positions.body.items[0]).toMatchObject({ symbol: 'BTC/USDT', quantity: '0.1', cost: '10' });
    const balances = await stack.api(`/api/ledger/balances?profileId=${profileId}`, { token: t.viewer });
    const byAccount = Object.fromEntries(balances.body.balances.map((b: { account: string; balance: string }) => [b.account, b.balance]));
    // 10000 − 10.01 paid − 3 × 9.6096 reserved for the resting limit buys.
    expect(balances.body.freeCapital.USDT).toBe('9961.1612');
    expect(byAccount['position:BTC/USDT']).toBe('10');
    const entries = await stack.api(`/api/ledger/entries?profileId=${profileId}&limit=3`, { token: t.viewer });
    expect(entries.body.items).toHaveLength(3);
    expect(entries.body.nextCursor).not.toBeNull();
  });

  it('cancels an open order (reservation released); a finished order is not cancellable', async () => {
    const open = (await stack.api('/api/orders?status=accepted', { token: t.trader })).body.items[0];
    expect((await stack.api(`/api/orders/${open.id}/cancel`, { method: 'POST', token: t.viewer })).status).toBe(403);
    const cancelled = await stack.api(`/api/orders/${open.id}/cancel`, { method: 'POST', token: t.trader });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const again = await stack.api(`/api/orders/${open.id}/cancel`, { method: 'POST', token: t.trader });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ORDER_NOT_CANCELLABLE');
    const detail = await stack.api(`/api/orders/${open.id}`, { token: t.trader });
    expect(detail.body.history.map((h: { to: string }) => h.to)).toEqual(['submitted', 'accepted', 'cancel_requested', 'cancelled']);
    const balances = await stack.api(`/api/ledger/balances?profileId=${profileId}`, { token: t.viewer });
    expect(balances.body.balances.some((b: { account: string }) => b.account === `reserved:${open.clientOrderId}`)).toBe(false);
  });

  it('pushes order updates and fills on /trading to the tenant and profile rooms, never to another tenant', async () => {
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
    const ack = await new Promise<{ ok: boolean }>((resolve) => sA.emit('subscribe.profile', { profileId }, resolve));
    expect(ack.ok).toBe(true);
    const got: Array<{ event: string; room: string; data: { status?: string; tradeId?: string; orderId?: string; id?: string } }> = [];
    const gotB: unknown[] = [];
    for (const event of ['order.update', 'fill']) {
      sA.on(event, (e: { room: string; data: never }) => got.push({ event, room: e.room, data: e.data }));
      sB.on(event, (e: unknown) => gotB.push(e));
    }
    const placed = await place({ side: 'buy', type: 'market', quantity: '0.1' }, 'socket-1');
    expect(placed.status).toBe(201);
    await new Promise((r) => setTimeout(r, 400));
    const inProfile = got.filter((e) => e.room === `profile:${profileId}`);
    expect(inProfile.filter((e) => e.event === 'order.update').map((e) => e.data.status)).toEqual(expect.arrayContaining(['new', 'filled']));
    expect(inProfile.filter((e) => e.event === 'fill')).toHaveLength(1);
    expect(inProfile.find((e) => e.event === 'fill')!.data.orderId).toBe(placed.body.order.id);
    expect(got.some((e) => e.room.startsWith('tenant:') && e.event === 'fill')).toBe(true);
    expect(gotB).toEqual([]);
  });

  it("cross-tenant: tenant B gets 404 on A's orders, decisions and ledger, and sees none of A's rows", async () => {
    const a = (await stack.api('/api/orders', { token: t.trader })).body.items[0];
    for (const [method, path] of [
      ['GET', `/api/orders/${a.id}`],
      ['POST', `/api/orders/${a.id}/cancel`],
      ['GET', `/api/profiles/${profileId}/decisions`],
      ['GET', `/api/ledger/balances?profileId=${profileId}`],
      ['GET', `/api/ledger/entries?profileId=${profileId}`],
    ] as const) {
      const r = await stack.api(path, { method, token: t.traderB });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    const placed = await stack.api('/api/orders', { method: 'POST', token: t.traderB, body: { profileId, side: 'buy', type: 'market', quantity: '0.1' }, headers: { 'idempotency-key': 'b-into-a' } });
    expect(placed.status).toBe(404);
    const bList = await stack.api('/api/orders', { token: t.traderB });
    expect(bList.body.items.every((o: { profileId: string }) => o.profileId === bProfileId)).toBe(true);
    expect((await stack.api(`/api/positions?profileId=${profileId}`, { token: t.traderB })).body.items).toEqual([]);
  });
});
