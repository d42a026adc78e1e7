import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, orders } from '@kestrel/db';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { paperVenue, singleVenue, type PaperExchange } from '../trading/testing/paper-venue.ts';

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

describe.each(dbTargets())('SessionRule through the API [%s]', (kind) => {
  let stack: TestStack;
  let venue: PaperExchange;
  let token = '';
  let accountId = '';

  beforeAll(async () => {
    venue = paperVenue();
    stack = await startTestStack({ kind, backendDeps: { venues: singleVenue(venue) } });
    token = (await stack.platform.login('trader', 'kestrel-trader-demo', 'demo')).accessToken;
    accountId = (await stack.api('/api/exchange-accounts', { method: 'POST', token, body: { name: 'Paper', kind: 'paper' } })).body.id;
  });
  afterAll(async () => stack?.close());

  const profile = async (name: string, session: Record<string, unknown>) => {
    const r = await stack.api('/api/profiles', {
      method: 'POST',
      token,
      body: { name, exchangeAccountId: accountId, symbol: 'BTC/USDT', timeframe: '1m', strategy: 'sma-cross', capitalAllocation: '10000', riskLimits: { priceBand: '0.05' }, rules: { session } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const place = (profileId: string, key: string) =>
    stack.api('/api/orders', { method: 'POST', token, body: { profileId, side: 'buy', type: 'market', quantity: '0.1' }, headers: { 'idempotency-key': key } });

  it('outside the trading hours: 422 ORDER_DENIED RULE_SESSION_CLOSED, nothing sent, and the decision says closed and when the session opens', async () => {
    const now = Date.now();
    // Open in two hours for one hour, every day, in UTC: closed right now whatever the date.
    const open = hhmm(now + 2 * 3_600_000);
    const close = hhmm(now + 3 * 3_600_000);
    const id = await profile('Night shift', { timeZone: 'UTC', days: [1, 2, 3, 4, 5, 6, 7], hours: [{ open, close }] });
    const submittedBefore = venue.engine.stats.submitted;

    const r = await place(id, 'session-hours');
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('ORDER_DENIED');
    expect(r.body.error.details.decision).toMatchObject({ outcome: 'denied', code: 'RULE_SESSION_CLOSED', source: 'manual' });
    expect(r.body.error.message).toMatch(/RULE_SESSION_CLOSED/);

    const decisions = await stack.api(`/api/profiles/${id}/decisions`, { token });
    expect(decisions.status).toBe(200);
    const [d] = decisions.body.items;
    expect(d).toMatchObject({ outcome: 'denied', code: 'RULE_SESSION_CLOSED', stage: 'rule' });
    // Closed, and when it opens: the window and its time zone, with the local time it was refused at.
    expect(d.reason).toMatch(/outside trading hours/);
    expect(d.reason).toContain(`${open}–${close} UTC`);
    expect(d.reason).toContain(`local ${WEEKDAY[new Date(now).getUTCDay()]}`);

    expect(venue.engine.stats.submitted).toBe(submittedBefore);
    expect(await stack.backend.database.db.select().from(orders).where(eq(orders.profileId, id))).toEqual([]);
    const balances = await stack.api(`/api/ledger/balances?profileId=${id}`, { token });
    expect(balances.body.freeCapital.USDT).toBe('10000');
  });

  it('on a day without a session: refused, and the reason names the trading days', async () => {
    const today = ((new Date().getUTCDay() + 6) % 7) + 1; // ISO weekday, UTC
    const days = [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today);
    const id = await profile('Not today', { timeZone: 'UTC', days });
    const r = await place(id, 'session-day');
    expect(r.status).toBe(422);
    expect(r.body.error.details.decision.code).toBe('RULE_SESSION_CLOSED');
    const [d] = (await stack.api(`/api/profiles/${id}/decisions?outcome=denied`, { token })).body.items;
    expect(d.reason).toMatch(new RegExp(`^closed on ${WEEKDAY[new Date().getUTCDay()]}: trading days .* UTC`));
  });

  it('inside the session the same order goes through (the rule is what refused it)', async () => {
    const id = await profile('Always open', { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5, 6, 7] });
    const r = await place(id, 'session-open');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.decision).toMatchObject({ outcome: 'approved', code: null });
  });
});
