import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { CORE_CODES, type CoreCode } from '@kestrel/trading-core';
import { paperVenue, singleVenue, type PaperExchange } from '../trading/testing/paper-venue.ts';

/** Every rule, instrument and risk code of trading-core: the list the scenarios below must cover. */
const GATE_CODES = (Object.keys(CORE_CODES) as CoreCode[]).filter((c) => /^(RISK|INSTRUMENT|RULE)_/.test(c)).sort();
type GateCode = Extract<CoreCode, `RISK_${string}` | `INSTRUMENT_${string}` | `RULE_${string}`>;

interface Ctx {
  stack: TestStack;
  venue: PaperExchange;
  t: Record<'trader' | 'admin', string>;
  /** A fresh profile (own capital and ledger) with these settings. */
  profile(body?: { riskLimits?: Record<string, unknown>; rules?: Record<string, unknown>; capitalAllocation?: string }): Promise<string>;
  place(profileId: string, order: Record<string, unknown>): Promise<{ status: number; body: { error?: { code: string; details: { decision: { code: string; reason: string } } }; order?: { status: string } } }>;
}

interface Scenario {
  /** Settings and earlier orders through the API; returns the profile and the order that must be denied. */
  setUp(c: Ctx): Promise<{ profileId: string; order: Record<string, unknown>; cleanUp?: () => Promise<void> }>;
  /** What the stored reason must say. */
  reason: RegExp;
}

const MARKET_BUY = { side: 'buy', type: 'market', quantity: '0.1' };
const approvedFirst = async (c: Ctx, profileId: string, order: Record<string, unknown> = MARKET_BUY) => {
  const r = await c.place(profileId, order);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
};

/**
 * One scenario per code, or why it cannot be reached through the API. Typed over every gate code:
 * a new code in trading-core without an entry here fails the type check and the first test.
 */
const SCENARIOS: Record<GateCode, Scenario | { unreachable: string }> = {
  RISK_TRADING_HALTED: {
    async setUp(c) {
      const profileId = await c.profile();
      const off = await c.stack.api('/api/trading/control', { method: 'PUT', token: c.t.admin, body: { scope: 'tenant', tradingEnabled: false, killSwitchReason: 'risk-code test' } });
      expect(off.status, JSON.stringify(off.body)).toBe(200);
      return {
        profileId,
        order: MARKET_BUY,
        cleanUp: async () => {
          expect((await c.stack.api('/api/trading/control', { method: 'PUT', token: c.t.admin, body: { scope: 'tenant', tradingEnabled: true } })).status).toBe(200);
        },
      };
    },
    reason: /halted at tenant level: risk-code test/,
  },
  RISK_REDUCE_ONLY: {
    setUp: async (c) => ({ profileId: await c.profile(), order: { ...MARKET_BUY, reduceOnly: true } }),
    reason: /reduce-only; buy 0\.1 would not reduce the position 0/,
  },
  RISK_MAX_ORDER_NOTIONAL: {
    setUp: async (c) => ({ profileId: await c.profile({ riskLimits: { priceBand: '0.05', maxOrderNotional: '50' } }), order: { ...MARKET_BUY, quantity: '1' } }),
    reason: /order notional 100 USDT is above the limit 50 USDT/,
  },
  RISK_MAX_POSITION_NOTIONAL: {
    async setUp(c) {
      const profileId = await c.profile({ riskLimits: { priceBand: '0.05', maxPositionNotional: '15' } });
      await approvedFirst(c, profileId); // 0.1 BTC ≈ 10 USDT held
      return { profileId, order: MARKET_BUY };
    },
    reason: /position would be 0\.2 BTC ≈ 20 USDT, above the limit 15 USDT/,
  },
  RISK_MAX_DAILY_LOSS: {
    async setUp(c) {
      // The first buy pays a 0.01 USDT fee today: today's P&L −0.01 reaches the 0.01 limit.
      const profileId = await c.profile({ riskLimits: { priceBand: '0.05', maxDailyLoss: '0.01' } });
      await approvedFirst(c, profileId);
      return { profileId, order: MARKET_BUY };
    },
    reason: /today's P&L -0\.01 USDT reached the daily loss limit of 0\.01 USDT/,
  },
  RISK_MAX_DRAWDOWN: {
    async setUp(c) {
      // Peak 10 000 at the first decision; the price falls from 100 to 90 with 1 BTC held: equity
      // 9 989.9, a drawdown of about 0.1 %, at the 0.1 % limit.
      const profileId = await c.profile({ riskLimits: { priceBand: '0.05', maxDrawdown: '0.001' } });
      await approvedFirst(c, profileId, { ...MARKET_BUY, quantity: '1' });
      c.venue.engine.onTick('BTC/USDT', 90, Date.now());
      return { profileId, order: MARKET_BUY, cleanUp: async () => c.venue.engine.onTick('BTC/USDT', 100, Date.now()) };
    },
    reason: /drawdown [\d.]+% from the equity peak 10000 \(equity [\d.]+\) reached the limit of 0\.1%/,
  },
  RISK_INSUFFICIENT_CAPITAL: {
    setUp: async (c) => ({ profileId: await c.profile({ capitalAllocation: '50' }), order: { ...MARKET_BUY, quantity: '1' } }),
    reason: /order needs 105 USDT, free capital is 50 USDT/,
  },
  RISK_PRICE_BAND: {
    setUp: async (c) => ({ profileId: await c.profile(), order: { side: 'buy', type: 'limit', quantity: '0.1', price: '80' } }),
    reason: /limit price 80 is outside ±5% of the last price 100 \(95–105\)/,
  },
  RISK_ORDER_RATE: {
    async setUp(c) {
      const profileId = await c.profile({ riskLimits: { priceBand: '0.05', orderRate: { maxOrders: 1, windowMs: 3_600_000 } } });
      await approvedFirst(c, profileId);
      return { profileId, order: MARKET_BUY };
    },
    reason: /1 orders in the last 3600000 ms \(limit 1\); next allowed in \d+ ms/,
  },
  INSTRUMENT_MIN_QTY: {
    setUp: async (c) => ({ profileId: await c.profile(), order: { ...MARKET_BUY, quantity: '0.0004' } }),
    reason: /quantity 0\.0004 rounds down to 0 at lot size 0\.001/,
  },
  INSTRUMENT_MIN_NOTIONAL: {
    setUp: async (c) => ({ profileId: await c.profile(), order: { ...MARKET_BUY, quantity: '0.01' } }),
    reason: /notional 1 USDT is below the minimum 5 USDT/,
  },
  INSTRUMENT_TICK_SIZE: { unreachable: 'prices are rounded to the tick before the check (a buy limit down, a sell limit up; see the rounding test below)' },
  INSTRUMENT_LOT_SIZE: { unreachable: 'quantities are rounded down to the lot before the check (see the rounding test below)' },
  INSTRUMENT_MAX_QTY: { unreachable: 'venue markets carry no maximum quantity (VenueMarket has no maxQty), so instruments have none' },
  INSTRUMENT_SYMBOL_MISMATCH: { unreachable: "the pipeline builds every order for the profile's own instrument" },
  INSTRUMENT_INVALID: { unreachable: 'a market the venue describes badly never becomes an instrument: the order is answered 503 DEPENDENCY_UNAVAILABLE before any decision' },
  RULE_SESSION_CLOSED: {
    async setUp(c) {
      const later = new Date(Date.now() + 2 * 3_600_000).toISOString().slice(11, 16);
      const after = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(11, 16);
      return { profileId: await c.profile({ rules: { session: { timeZone: 'UTC', days: [1, 2, 3, 4, 5, 6, 7], hours: [{ open: later, close: after }] } } }), order: MARKET_BUY };
    },
    reason: /outside trading hours \d\d:\d\d–\d\d:\d\d UTC/,
  },
  RULE_MAX_TRADES_PER_DAY: {
    async setUp(c) {
      const profileId = await c.profile({ rules: { maxTradesPerDay: 1 } });
      await approvedFirst(c, profileId);
      return { profileId, order: MARKET_BUY };
    },
    reason: /1 of 1 trades already made today \(\d{4}-\d\d-\d\d UTC\)/,
  },
  RULE_MAX_OPEN_POSITIONS: {
    async setUp(c) {
      // Positions count across the tenant: another profile holds one.
      const other = await c.profile();
      await approvedFirst(c, other);
      return { profileId: await c.profile({ rules: { maxOpenPositions: 1 } }), order: MARKET_BUY };
    },
    reason: /\d+ of 1 positions already open/,
  },
  RULE_COOLDOWN: {
    async setUp(c) {
      // Buy at 100, sell at 90: a losing close starts the cooldown.
      const profileId = await c.profile({ rules: { cooldownAfterLossMinutes: 60 } });
      await approvedFirst(c, profileId);
      c.venue.engine.onTick('BTC/USDT', 90, Date.now());
      await approvedFirst(c, profileId, { ...MARKET_BUY, side: 'sell' });
      return { profileId, order: MARKET_BUY, cleanUp: async () => c.venue.engine.onTick('BTC/USDT', 100, Date.now()) };
    },
    reason: /cooldown of 60 min after a losing close at \S+: no entries until \S+/,
  },
};

describe.each(dbTargets())('every risk, rule and instrument code through the API [%s]', (kind) => {
  const c = {} as Ctx;
  let n = 0;

  beforeAll(async () => {
    c.venue = paperVenue();
    c.stack = await startTestStack({ kind, backendDeps: { venues: singleVenue(c.venue) } });
    c.t = {
      trader: (await c.stack.platform.login('trader', 'kestrel-trader-demo', 'demo')).accessToken,
      admin: (await c.stack.platform.login('admin', 'kestrel-admin-demo', 'demo')).accessToken,
    };
    const account = (await c.stack.api('/api/exchange-accounts', { method: 'POST', token: c.t.trader, body: { name: 'Paper', kind: 'paper' } })).body.id as string;
    c.profile = async (body = {}) => {
      const r = await c.stack.api('/api/profiles', {
        method: 'POST',
        token: c.t.trader,
        body: { name: `p${++n}`, exchangeAccountId: account, symbol: 'BTC/USDT', timeframe: '1m', strategy: 'sma-cross', capitalAllocation: '10000', riskLimits: { priceBand: '0.05' }, ...body },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    c.place = (profileId, order) => c.stack.api('/api/orders', { method: 'POST', token: c.t.trader, body: { profileId, ...order }, headers: { 'idempotency-key': `k-${++n}` } });
  });
  afterAll(async () => c.stack?.close());

  it('covers every code of trading-core: a scenario, or the reason it cannot be reached', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(GATE_CODES);
    for (const [code, s] of Object.entries(SCENARIOS)) if ('unreachable' in s) expect(s.unreachable.length, code).toBeGreaterThan(20);
  });

  const reachable = Object.entries(SCENARIOS).filter((e): e is [GateCode, Scenario] => !('unreachable' in e[1]));
  it.each(reachable)('%s: 422 ORDER_DENIED with the code; the stored decision has the code and a reason with the numbers', async (code, scenario) => {
    const { profileId, order, cleanUp } = await scenario.setUp(c);
    const submitted = c.venue.engine.stats.submitted;
    try {
      const r = await c.place(profileId, order);
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.error!.code).toBe('ORDER_DENIED');
      expect(r.body.error!.details.decision.code).toBe(code);
      expect(r.body.error!.details.decision.reason).toMatch(scenario.reason);
      const stored = await c.stack.api(`/api/profiles/${profileId}/decisions?limit=1`, { token: c.t.trader });
      expect(stored.body.items[0]).toMatchObject({ outcome: 'denied', code, source: 'manual' });
      expect(stored.body.items[0].reason).toMatch(scenario.reason);
      expect(c.venue.engine.stats.submitted).toBe(submitted);
    } finally {
      await cleanUp?.();
    }
  });

  it('rounding makes the tick and lot codes unreachable: a limit buy at 99.95 for 0.0015 becomes 99.9 for 0.001', async () => {
    const profileId = await c.profile();
    const r = await c.place(profileId, { side: 'buy', type: 'limit', quantity: '0.0515', price: '99.95' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.order).toMatchObject({ price: '99.9', quantity: '0.051' });
  });
});
