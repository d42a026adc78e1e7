import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '@kestrel/db/testing';
import { until as untilEvery } from '../trading/testing/wait.ts';

import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { Dec } from '@kestrel/trading-core';
import { io as connect, type Socket } from 'socket.io-client';
import { singleVenue } from '../trading/testing/paper-venue.ts';
import { replayMarket, type ReplayMarket } from '../trading/testing/replay-market.ts';

type Envelope<T = Record<string, unknown>> = { room: string; seq: number; ts: string; data: T };
type Fill = { quantity: string; price: string; fee: string; side: 'buy' | 'sell' };

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 5000) => untilEvery(what, probe, timeoutMs, 25);
const sum = (xs: readonly string[]) => xs.reduce((a, x) => a.plus(x), new Dec(0));

describe.each(dbTargets())('P&L over REST and its pushes on /trading [%s]', (kind) => {
  let stack: TestStack;
  let m: ReplayMarket;
  const t: Record<string, string> = {};
  let profileId = '';
  let bProfileId = '';
  const sockets: Socket[] = [];
  const gotA: Array<{ event: string; e: Envelope }> = [];
  const gotB: Array<{ event: string; e: Envelope }> = [];
  const fills: Fill[] = [];

  beforeAll(async () => {
    // The feed starts 20 minutes behind the wall clock (a lagging feed); each tick moves it 75 s on.
    m = await replayMarket({ startAt: Date.now() - 20 * 60_000 });
    stack = await startTestStack({ kind, backendDeps: { venues: singleVenue(m.venue), market: m.market, senderOptions: { lookupIntervalMs: 15, minLookupMisses: 3, missWindowMs: 60 } } });
    for (const role of ['trader', 'viewer']) t[role] = (await stack.platform.login(role, `kestrel-${role}-demo`, 'demo')).accessToken;
    const b = await stack.platform.createTenant('bravo');
    t.traderB = (await stack.platform.login(b.users.trader.username, b.users.trader.password)).accessToken;
    const mk = async (token: string) => {
      const account = (await stack.api('/api/exchange-accounts', { method: 'POST', token, body: { name: 'Paper', kind: 'paper' } })).body.id;
      const p = await stack.api('/api/profiles', {
        method: 'POST',
        token,
        body: { name: 'Manual', exchangeAccountId: account, symbol: 'BTC/USDT', timeframe: '5m', strategy: 'sma-cross', capitalAllocation: '10000', riskLimits: { priceBand: '0.05', feeRate: '0.001' } },
      });
      return p.body.id as string;
    };
    profileId = await mk(t.trader!);
    bProfileId = await mk(t.traderB!);

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
    expect(await new Promise((r) => sA.emit('subscribe.profile', { profileId }, r))).toMatchObject({ ok: true });
    expect(await new Promise((r) => sB.emit('subscribe.profile', { profileId: bProfileId }, r))).toMatchObject({ ok: true });
    for (const event of ['position.update', 'pnl.update', 'decision']) {
      sA.on(event, (e: Envelope) => gotA.push({ event, e }));
      sB.on(event, (e: Envelope) => gotB.push({ event, e }));
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await stack?.close();
  });

  const pnl = (token = t.viewer, days?: number) => stack.api(`/api/profiles/${profileId}/pnl${days ? `?days=${days}` : ''}`, { token });
  const trade = async (side: 'buy' | 'sell', key: string) => {
    const placed = await stack.api('/api/orders', { method: 'POST', token: t.trader, body: { profileId, side, type: 'market', quantity: '0.1' }, headers: { 'idempotency-key': key } });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const detail = await until(`the ${side} fill`, async () => {
      const d = await stack.api(`/api/orders/${placed.body.order.id}`, { token: t.viewer });
      return d.body.status === 'filled' && d.body.fills.length > 0 ? d.body : null;
    });
    fills.push(...(detail.fills as Fill[]).map((f) => ({ ...f, side })));
    return detail;
  };

  it('a fresh profile: zero P&L, equity = its capital, dense per-day rows; a lagging feed is flagged stale', async () => {
    const res = await pnl();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ profileId, symbol: 'BTC/USDT', currency: 'USDT', realized: '0', unrealized: '0', fees: '0', net: '0', equity: '10000', netDeposits: '10000', positions: [] });
    expect(res.body.markPrice).toBe(String(m.lastPrice().price));
    expect(res.body.stale).toBe(true);
    expect((await stack.api('/api/market/ticker?symbol=BTC/USDT', { token: t.viewer })).body.stale).toBe(true);
    expect(res.body.days).toHaveLength(30);
    expect(res.body.days.at(-1).day).toBe(new Date().toISOString().slice(0, 10));
    expect(res.body.days.every((d: { realized: string; fees: string }) => d.realized === '0' && d.fees === '0')).toBe(true);
    expect((await pnl(t.viewer, 7)).body.days).toHaveLength(7);

    // The feed catches up with the wall clock (16 bars of 4 ticks and a close, then 2 ticks): the mark is fresh again.
    m.step(22);
    const caughtUp = await pnl();
    expect(caughtUp.body.stale).toBe(false);
    expect(new Date(caughtUp.body.markTime).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('bad input and another tenant: days out of range 400; tenant B gets 404 on this profile', async () => {
    for (const days of ['0', '367', 'x']) {
      const r = await stack.api(`/api/profiles/${profileId}/pnl?days=${days}`, { token: t.viewer });
      expect(r.status, days).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    const foreign = await pnl(t.traderB);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    expect(JSON.stringify(foreign.body)).not.toContain('10000');
    expect((await stack.api('/api/profiles/00000000-0000-4000-8000-000000000000/pnl', { token: t.viewer })).status).toBe(404);
  });

  it('after a buy: unrealized P&L is quantity × mark − cost and moves with the mark; positions carry it; pushes reach the profile room', async () => {
    const buy = await trade('buy', 'pnl-buy-1');
    const first = await until('a P&L with the position', async () => {
      const r = await pnl();
      return r.body.positions.length === 1 ? r.body : null;
    });
    const pos = first.positions[0];
    expect(pos).toMatchObject({ symbol: 'BTC/USDT', quantity: '0.1', cost: new Dec(buy.fills[0].price).times('0.1').toFixed(), currency: 'USDT', stale: false });
    const unrealizedAt = (body: { markPrice: string; positions: Array<{ cost: string }> }) => new Dec('0.1').times(body.markPrice).minus(body.positions[0]!.cost);
    expect(first.unrealized).toBe(unrealizedAt(first).toFixed());
    expect(pos.unrealizedPnl).toBe(first.unrealized);
    expect(first.fees).toBe(buy.fills[0].fee);
    expect(new Dec(first.net).equals(new Dec(first.unrealized).minus(first.fees))).toBe(true);
    expect(new Dec(first.equity).equals(new Dec('10000').plus(first.net))).toBe(true);

    // Play the market until the price moves; the unrealized P&L follows the mark.
    const before = m.lastPrice().price;
    await until('a price change', async () => (m.step(), m.lastPrice().price !== before));
    const moved = (await pnl()).body;
    expect(moved.markPrice).not.toBe(first.markPrice);
    expect(moved.unrealized).toBe(unrealizedAt(moved).toFixed());
    expect(new Dec(moved.unrealized).minus(first.unrealized).equals(new Dec('0.1').times(new Dec(moved.markPrice).minus(first.markPrice)))).toBe(true);

    // The fill was followed by position.update and pnl.update, in the profile room and the tenant room.
    await until('pnl.update', async () => gotA.some((g) => g.event === 'pnl.update'));
    const inProfile = gotA.filter((g) => g.e.room === `profile:${profileId}`);
    const posUpdate = inProfile.find((g) => g.event === 'position.update')!.e.data;
    expect(posUpdate).toMatchObject({ profileId, symbol: 'BTC/USDT', quantity: '0.1', cost: pos.cost, markPrice: expect.any(String) });
    const pnlUpdate = inProfile.find((g) => g.event === 'pnl.update')!.e.data;
    expect(pnlUpdate).toMatchObject({ profileId, currency: 'USDT', realized: '0', fees: buy.fills[0].fee, netDeposits: '10000' });
    expect(pnlUpdate).not.toHaveProperty('days');
    expect(gotA.some((g) => g.e.room.startsWith('tenant:') && g.event === 'pnl.update')).toBe(true);
    const seqs = inProfile.map((g) => g.e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(gotB).toEqual([]);
  });

  it('after the round trip: realized = sells − buys, net = realized − fees, equity = capital + net; per-day rows sum to the totals', async () => {
    // Sell away from the entry price, so the round trip realizes a profit or a loss.
    const entry = Number(fills[0]!.price);
    await until('a price away from the entry', async () => (m.step(), Math.abs(m.lastPrice().price - entry) >= 1));
    await trade('sell', 'pnl-sell-1');
    const body = await until('the flat position', async () => {
      const r = await pnl();
      return r.body.positions[0]?.quantity === '0' ? r.body : null;
    });
    const notional = (side: 'buy' | 'sell') => sum(fills.filter((f) => f.side === side).map((f) => new Dec(f.quantity).times(f.price).toFixed()));
    const fees = sum(fills.map((f) => f.fee));
    const realized = notional('sell').minus(notional('buy'));
    expect(realized.isZero()).toBe(false);
    expect(body.realized).toBe(realized.toFixed());
    expect(body.fees).toBe(fees.toFixed());
    expect(body.unrealized).toBe('0');
    expect(body.net).toBe(realized.minus(fees).toFixed());
    expect(body.equity).toBe(new Dec('10000').plus(realized).minus(fees).toFixed());
    expect(body.positions[0]).toMatchObject({ quantity: '0', unrealizedPnl: '0', realizedPnl: realized.toFixed() });
    // The ledger agrees: cash is all there is once flat.
    const balances = await stack.api(`/api/ledger/balances?profileId=${profileId}`, { token: t.viewer });
    expect(balances.body.freeCapital.USDT).toBe(body.equity);

    const days = body.days as Array<{ realized: string; fees: string; net: string }>;
    expect(sum(days.map((d) => d.realized)).toFixed()).toBe(body.realized);
    expect(sum(days.map((d) => d.fees)).toFixed()).toBe(body.fees);
    expect(sum(days.map((d) => d.net)).toFixed()).toBe(realized.minus(fees).toFixed());
  });

  it('GET /api/pnl sums the tenant’s profiles per quote currency; another tenant sees only its own', async () => {
    const res = await stack.api('/api/pnl', { token: t.viewer });
    expect(res.status).toBe(200);
    const profiles = res.body.profiles as Array<{ profileId: string; currency: string; realized: string; fees: string; equity: string; net: string }>;
    expect(profiles.map((p) => p.profileId)).toContain(profileId);
    expect(profiles.map((p) => p.profileId)).not.toContain(bProfileId);
    const usdt = res.body.currencies.find((c: { currency: string }) => c.currency === 'USDT');
    const inUsdt = profiles.filter((p) => p.currency === 'USDT');
    expect(usdt).toMatchObject({ profiles: inUsdt.length, realized: sum(inUsdt.map((p) => p.realized)).toFixed(), fees: sum(inUsdt.map((p) => p.fees)).toFixed(), equity: sum(inUsdt.map((p) => p.equity)).toFixed() });
    const days = (res.body.days as Array<{ currency: string; net: string }>).filter((d) => d.currency === 'USDT');
    expect(days).toHaveLength(30);
    expect(sum(days.map((d) => d.net)).toFixed()).toBe(new Dec(usdt.realized).minus(usdt.fees).toFixed());

    const b = await stack.api('/api/pnl', { token: t.traderB });
    expect(b.body.profiles.map((p: { profileId: string }) => p.profileId)).toEqual([bProfileId]);
    expect(b.body.currencies).toEqual([expect.objectContaining({ currency: 'USDT', realized: '0', fees: '0', equity: '10000', profiles: 1 })]);
  });

  it('a denied order pushes its decision (as GET …/decisions returns it) to the profile and tenant rooms, and to no other tenant', async () => {
    const denied = await stack.api('/api/orders', { method: 'POST', token: t.trader, body: { profileId, side: 'buy', type: 'market', quantity: '500' }, headers: { 'idempotency-key': 'pnl-denied-1' } });
    expect(denied.status).toBe(422);
    const decisionId = denied.body.error.details.decision.id as string;
    const pushed = await until('the decision push', async () => gotA.find((g) => g.event === 'decision' && g.e.room === `profile:${profileId}` && g.e.data.id === decisionId));
    const listed = await stack.api(`/api/profiles/${profileId}/decisions?outcome=denied`, { token: t.viewer });
    expect(pushed.e.data).toEqual(listed.body.items[0]);
    expect(pushed.e.data).toMatchObject({ outcome: 'denied', code: 'RISK_INSUFFICIENT_CAPITAL', source: 'manual' });
    expect(gotA.some((g) => g.event === 'decision' && g.e.room.startsWith('tenant:') && g.e.data.id === decisionId)).toBe(true);
    // The approved orders of the round trip were pushed as decisions too.
    expect(gotA.filter((g) => g.event === 'decision' && g.e.room === `profile:${profileId}` && g.e.data.outcome === 'approved')).toHaveLength(2);
    await settle(100);
    expect(gotB).toEqual([]);
  });
});
