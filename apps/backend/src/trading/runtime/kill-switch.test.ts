import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { PaperMarket } from './paper-market.ts';
import { until } from '../testing/wait.ts';

const OPEN = new Set(['new', 'submitted', 'accepted', 'partially_filled', 'cancel_requested']);


/**
 * RELIABILITY.md "kill-switch": global and tenant kill switches while bots trade on the replayed
 * paper market, through the real stack and the real trading runtime.
 */
describe.each(dbTargets())('trading runtime: loops and kill switches [%s]', (kind) => {
  let stack: TestStack;
  let market: PaperMarket;
  const t: Record<string, string> = {};
  const bots: Record<string, string> = {};

  const orders = async (token: string) => (await stack.api('/api/orders?limit=200', { token })).body.items as Array<{ id: string; status: string; createdAt: string; profileId: string }>;
  const profile = async (token: string, id: string) => (await stack.api(`/api/profiles/${id}`, { token })).body as { status: string; haltReason: string | null; tradingState: string };

  beforeAll(async () => {
    market = new PaperMarket({ speed: 300, historyBars: 200, onListenerError: () => {} });
    stack = await startTestStack({
      kind,
      backendDeps: { venues: market, market, runtime: { instanceId: 'test-instance', scanMs: 100, heartbeatMs: 500, leaseTtlMs: 5_000 } },
    });
    for (const role of ['admin', 'trader', 'operator']) t[role] = (await stack.platform.login(role, `kestrel-${role}-demo`, 'demo')).accessToken;
    const b = await stack.platform.createTenant('bravo');
    t.traderB = (await stack.platform.login(b.users.trader.username, b.users.trader.password)).accessToken;
    t.adminB = (await stack.platform.login(b.users.admin.username, b.users.admin.password)).accessToken;
    const mk = async (token: string, name: string, strategy: string, strategyParams: Record<string, unknown>) => {
      const accounts = (await stack.api('/api/exchange-accounts', { token })).body.items as Array<{ id: string }>;
      const account = accounts[0]?.id ?? (await stack.api('/api/exchange-accounts', { method: 'POST', token, body: { name: 'Paper', kind: 'paper' } })).body.id;
      const p = await stack.api('/api/profiles', {
        method: 'POST',
        token,
        body: { name, exchangeAccountId: account, symbol: 'BTC/USDT', timeframe: '1s', strategy, strategyParams, capitalAllocation: '100000', riskLimits: { priceBand: '0.05', feeRate: '0.001' } },
      });
      expect(p.status, JSON.stringify(p.body)).toBe(201);
      return p.body.id as string;
    };
    const [first] = await market.candles('BTC/USDT', '1s', undefined, 1);
    const price = first!.close;
    bots.sma = await mk(t.trader!, 'SMA', 'sma-cross', { fast: 2, slow: 3, size: 0.001 });
    // Buy limits 0.1 % to 5 % below the price: they rest at the venue (open orders to cancel).
    bots.grid = await mk(t.trader!, 'Grid', 'grid', { lower: Math.round(price * 0.95), upper: Math.round(price * 0.999), levels: 6, sizePerLevel: 0.001 });
    bots.bravo = await mk(t.traderB!, 'Bravo grid', 'grid', { lower: Math.round(price * 0.95), upper: Math.round(price * 0.999), levels: 6, sizePerLevel: 0.001 });
    market.start();
    await stack.backend.app.kestrel.runtime!.start();
  }, 120_000);

  afterAll(async () => {
    market?.stop();
    await stack?.close();
  });

  it('running profiles get a loop under a lease: the strategy trades and the grid rests orders at the venue', async () => {
    for (const [token, id] of [[t.trader!, bots.sma!], [t.trader!, bots.grid!], [t.traderB!, bots.bravo!]] as const) {
      expect((await stack.api(`/api/profiles/${id}/start`, { method: 'POST', token })).status).toBe(200);
    }
    await until('a filled SMA order and resting grid orders in both tenants', async () => {
      const mine = await orders(t.trader!);
      const theirs = await orders(t.traderB!);
      return (
        mine.some((o) => o.profileId === bots.sma && o.status === 'filled') &&
        mine.filter((o) => o.profileId === bots.grid && o.status === 'accepted').length >= 3 &&
        theirs.filter((o) => o.status === 'accepted').length >= 3
      );
    });
    const runtime = stack.backend.app.kestrel.runtime!;
    expect(runtime.status().runners.map((r) => r.profileId).sort()).toEqual([bots.sma, bots.grid, bots.bravo].sort());
    // Each loop holds its lease in the database.
    for (const id of [bots.sma!, bots.grid!]) expect((await runtime.leases.holderOf(id, (await tenantOf(id))!))?.holder).toBe('test-instance');
  });

  const tenantOf = async (profileId: string) => {
    const rows = await stack.backend.database.rawTransaction((q) => q.query<{ tenant_id: string }>(`select tenant_id from profiles where id = $1`, [profileId]));
    return rows[0]?.tenant_id;
  };

  it('tenant kill switch: when the switch answers, the bots are halted and say why, every open order is cancelled, and no order follows', async () => {
    const off = await stack.api('/api/trading/control', { method: 'PUT', token: t.admin, body: { scope: 'tenant', tradingEnabled: false, killSwitchReason: 'desk closed' } });
    expect(off.status).toBe(200);
    const after = await orders(t.trader!);
    expect(after.filter((o) => OPEN.has(o.status))).toEqual([]);
    expect(after.filter((o) => o.profileId === bots.grid && o.status === 'cancelled').length).toBeGreaterThanOrEqual(3);
    for (const id of [bots.sma!, bots.grid!]) {
      const p = await profile(t.trader!, id);
      expect(p).toMatchObject({ status: 'halted', tradingState: 'HALTED' });
      expect(p.haltReason).toContain('desk closed');
    }
    // Several bars later: no new order, no loop; a manual order is denied by the risk engine.
    const count = after.length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await orders(t.trader!)).length).toBe(count);
    const manual = await stack.api('/api/orders', { method: 'POST', token: t.trader, headers: { 'idempotency-key': 'after-switch' }, body: { profileId: bots.sma, side: 'buy', type: 'market', quantity: '0.001' } });
    expect(manual.status).toBe(422);
    expect(manual.body.error.details.decision.code).toBe('RISK_TRADING_HALTED');
    // The other tenant trades on.
    expect((await profile(t.traderB!, bots.bravo!)).status).toBe('running');
    expect((await orders(t.traderB!)).filter((o) => o.status === 'accepted').length).toBeGreaterThanOrEqual(3);
  });

  it('global kill switch (operator): every tenant halted and every open order cancelled; switching on does not restart halted bots', async () => {
    const off = await stack.api('/api/trading/control', { method: 'PUT', token: t.operator, body: { scope: 'global', tradingEnabled: false, killSwitchReason: 'exchange incident' } });
    expect(off.status).toBe(200);
    expect((await orders(t.traderB!)).filter((o) => OPEN.has(o.status))).toEqual([]);
    const bravo = await profile(t.traderB!, bots.bravo!);
    expect(bravo.status).toBe('halted');
    expect(bravo.haltReason).toContain('exchange incident');
    expect(stack.backend.app.kestrel.runtime!.status().runners).toEqual([]);

    // While trading is switched off, a bot cannot be started (it would say running without trading).
    const refused = await stack.api(`/api/profiles/${bots.bravo}/start`, { method: 'POST', token: t.traderB });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'PROFILE_STATE_CONFLICT', message: expect.stringContaining('global kill switch') });
    await stack.api('/api/trading/control', { method: 'PUT', token: t.operator, body: { scope: 'global', tradingEnabled: true } });
    await stack.api('/api/trading/control', { method: 'PUT', token: t.admin, body: { scope: 'tenant', tradingEnabled: true } });
    await new Promise((r) => setTimeout(r, 500));
    expect((await profile(t.traderB!, bots.bravo!)).status).toBe('halted');
    // Started again by a person, the bot trades again.
    expect((await stack.api(`/api/profiles/${bots.bravo}/start`, { method: 'POST', token: t.traderB })).body.status).toBe('running');
    await until('the restarted grid to rest orders again', async () => (await orders(t.traderB!)).filter((o) => o.status === 'accepted').length >= 3);
  });

  it('stop cancels the profile’s open orders and ends its loop; pause only ends the loop', async () => {
    const pause = await stack.api(`/api/profiles/${bots.bravo}/pause`, { method: 'POST', token: t.traderB });
    expect(pause.body.status).toBe('paused');
    expect(stack.backend.app.kestrel.runtime!.runner(bots.bravo!)).toBeUndefined();
    expect((await orders(t.traderB!)).filter((o) => o.status === 'accepted').length).toBeGreaterThanOrEqual(3);
    const stop = await stack.api(`/api/profiles/${bots.bravo}/stop`, { method: 'POST', token: t.traderB });
    expect(stop.body.status).toBe('stopped');
    expect((await orders(t.traderB!)).filter((o) => OPEN.has(o.status))).toEqual([]);
  });
});
