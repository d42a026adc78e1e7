import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, exchangeAccounts } from '@kestrel/db';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';

const API_KEY = 'AKIAkestrelTESTkey0000WXYZ';
const API_SECRET = 'sEcReT-kestrel-0123456789-abcdefghijklmnop-QRST';

/** RELIABILITY.md "exchange-key secrecy": the key and secret never leave the backend, at most the key's last 4 characters. */
describe.each(dbTargets())('exchange accounts and key secrecy [%s]', (kind) => {
  let stack: TestStack;
  const tokens: Record<string, string> = {};
  const bodies: string[] = [];
  const call = async (path: string, init: Parameters<TestStack['api']>[1] = {}) => {
    const res = await stack.api(path, init);
    bodies.push(typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? ''), JSON.stringify([...res.headers]));
    return res;
  };

  beforeAll(async () => {
    stack = await startTestStack({ kind });
    for (const role of ['admin', 'trader', 'viewer']) tokens[role] = (await stack.platform.login(role, `kestrel-${role}-demo`, 'demo')).accessToken;
  });
  afterAll(async () => stack?.close());

  it('admins add live accounts (key and secret encrypted, never returned); traders add paper accounts; viewers read', async () => {
    const live = await call('/api/exchange-accounts', { method: 'POST', token: tokens.admin, body: { name: 'Binance main', kind: 'live', venue: 'binance', apiKey: API_KEY, apiSecret: API_SECRET } });
    expect(live.status).toBe(201);
    expect(live.body).toMatchObject({ name: 'Binance main', kind: 'live', venue: 'binance', apiKeyLast4: 'WXYZ', hasApiSecret: true, paperConfig: null });

    const traderLive = await call('/api/exchange-accounts', { method: 'POST', token: tokens.trader, body: { name: 'mine', kind: 'live', venue: 'binance', apiKey: API_KEY, apiSecret: API_SECRET } });
    expect(traderLive.status).toBe(403);
    const paper = await call('/api/exchange-accounts', { method: 'POST', token: tokens.trader, body: { name: 'Paper', kind: 'paper', paperConfig: { balances: { USDT: '10000' } } } });
    expect(paper.status).toBe(201);
    expect(paper.body).toMatchObject({ kind: 'paper', venue: 'paper', apiKeyLast4: null, hasApiSecret: false, paperConfig: { balances: { USDT: '10000' } } });
    expect((await call('/api/exchange-accounts', { method: 'POST', token: tokens.viewer, body: { name: 'v', kind: 'paper' } })).status).toBe(403);
    const dup = await call('/api/exchange-accounts', { method: 'POST', token: tokens.trader, body: { name: 'Paper', kind: 'paper' } });
    expect(dup.status).toBe(409);

    const list = await call('/api/exchange-accounts', { token: tokens.viewer });
    expect(list.body.items.map((a: { name: string }) => a.name)).toEqual(['Binance main', 'Paper']);
    const one = await call(`/api/exchange-accounts/${live.body.id}`, { token: tokens.viewer });
    expect(one.body.apiKeyLast4).toBe('WXYZ');

    // Refused and malformed requests that carry the secret do not echo it either.
    const invalid = await call('/api/exchange-accounts', { method: 'POST', token: tokens.admin, body: { name: '', kind: 'live', venue: 'binance', apiKey: API_KEY, apiSecret: API_SECRET, extra: API_SECRET } });
    expect(invalid.status).toBe(400);
    const paperWithKey = await call('/api/exchange-accounts', { method: 'POST', token: tokens.trader, body: { name: 'p2', kind: 'paper', apiKey: API_KEY, apiSecret: API_SECRET } });
    expect(paperWithKey.status).toBe(400);

    // At rest: ciphertext, not the plaintext; it decrypts only for its own account and field.
    const [row] = await stack.backend.database.db.select().from(exchangeAccounts).where(eq(exchangeAccounts.id, live.body.id));
    expect(row!.apiKeyEnc).toMatch(/^v1:/);
    expect(row!.apiKeyEnc).not.toContain(API_KEY);
    expect(row!.apiSecretEnc).not.toContain(API_SECRET);
    expect(row!.apiSecretEnc).not.toContain(Buffer.from(API_SECRET).toString('base64').slice(0, 16));
    const service = stack.backend.app.kestrel.services.accounts;
    expect(service.credentials(row!)).toEqual({ apiKey: API_KEY, apiSecret: API_SECRET });
    expect(() => service.credentials({ ...row!, id: paper.body.id })).toThrow();

    // Audit entries without secrets.
    const audit = await call('/api/admin/audit?action=exchange_account.create', { token: tokens.admin });
    expect(audit.body.items).toHaveLength(2);
  });

  it('deletes an unused account (audited); 404 for unknown ids', async () => {
    const created = await call('/api/exchange-accounts', { method: 'POST', token: tokens.trader, body: { name: 'temp', kind: 'paper' } });
    expect((await call(`/api/exchange-accounts/${created.body.id}`, { method: 'DELETE', token: tokens.viewer })).status).toBe(403);
    expect((await call(`/api/exchange-accounts/${created.body.id}`, { method: 'DELETE', token: tokens.trader })).status).toBe(204);
    expect((await call(`/api/exchange-accounts/${created.body.id}`, { token: tokens.trader })).status).toBe(404);
    const audit = await call('/api/admin/audit?action=exchange_account.delete', { token: tokens.admin });
    expect(audit.body.items[0]).toMatchObject({ target: `exchange_account:${created.body.id}`, after: null });
  });

  it('the key and the secret appear in no response, not in /docs/json, and in no log line', async () => {
    bodies.push(JSON.stringify((await stack.api('/docs/json')).body));
    const logs = stack.backend.logs.map((l) => JSON.stringify(l));
    expect(logs.length).toBeGreaterThan(10);
    for (const text of [...bodies, ...logs]) {
      expect(text).not.toContain(API_SECRET);
      expect(text).not.toContain(API_KEY);
      // Not even a long fragment of either.
      expect(text).not.toContain(API_SECRET.slice(0, 12));
      expect(text).not.toContain(API_KEY.slice(0, 12));
    }
  });
});
