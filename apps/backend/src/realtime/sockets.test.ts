import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';

type Envelope = { room: string; seq: number; ts: string; data: Record<string, unknown> };

describe.each(dbTargets())('Socket.IO authorisation and isolation [%s]', (kind) => {
  let stack: TestStack;
  const sockets: Socket[] = [];
  let tenantA = '';
  let tenantB = '';
  let bravoAdmin = { username: '', password: '' };
  // Tokens live 6 s here: log in right before use.
  const login = async (who: 'admin' | 'viewer' | 'operator' | 'bravo-admin') => {
    if (who === 'bravo-admin') return (await stack.platform.login(bravoAdmin.username, bravoAdmin.password, 'bravo')).accessToken;
    return (await stack.platform.login(who, `kestrel-${who}-demo`, 'demo')).accessToken;
  };

  beforeAll(async () => {
    // Short-lived access tokens, so the expiry test does not wait long.
    stack = await startTestStack({ kind, platform: { ACCESS_TOKEN_TTL_SECONDS: 6 } });
    tenantA = (await stack.platform.login('admin', 'kestrel-admin-demo')).user.tenantId;
    const b = await stack.platform.createTenant('bravo');
    tenantB = b.tenantId;
    bravoAdmin = b.users.admin;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await stack?.close();
  });

  const open = (ns: string, token?: string) => {
    const s = connect(`${stack.backend.url}${ns}`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(s);
    return s;
  };
  const connected = (s: Socket) =>
    new Promise<{ rooms: Record<string, number> }>((resolve, reject) => {
      s.once('ready', resolve);
      s.once('connect_error', (e) => reject(e));
    });
  const refused = (s: Socket) =>
    new Promise<{ code: string }>((resolve, reject) => {
      s.once('connect', () => reject(new Error('connected but should have been refused')));
      s.once('connect_error', (e: Error & { data?: { code: string } }) => resolve(e.data ?? { code: e.message }));
    });
  const collect = (s: Socket, event: string) => {
    const got: Envelope[] = [];
    s.on(event, (e: Envelope) => got.push(e));
    return got;
  };
  const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

  it('refuses a socket without a token, or with a bad one', async () => {
    expect((await refused(open('/trading'))).code).toBe('AUTH_TOKEN_MISSING');
    expect((await refused(open('/trading', 'not.a.jwt'))).code).toBe('AUTH_TOKEN_MALFORMED');
    const token = await login('admin');
    const [h, p, sig] = token.split('.');
    const forged = `${h}.${p}.${sig!.startsWith('A') ? 'B' : 'A'}${sig!.slice(1)}`;
    expect((await refused(open('/', forged))).code).toBe('AUTH_TOKEN_SIGNATURE');
  });

  it('a viewer cannot join /admin; an admin can', async () => {
    expect((await refused(open('/admin', await login('viewer')))).code).toBe('FORBIDDEN');
    const ready = await connected(open('/admin', await login('admin')));
    expect(Object.keys(ready.rooms)).toContain(`tenant:${tenantA}`);
  });

  it('the server assigns rooms: two tenants never receive each other’s events; the global switch reaches both; seq counts per room', async () => {
    const adminA = await login('admin');
    const adminB = await login('bravo-admin');
    const operator = await login('operator');
    const sA = open('/trading', adminA);
    const sB = open('/trading', adminB);
    const adminSockA = open('/admin', adminA);
    const adminSockB = open('/admin', adminB);
    const readyA = await connected(sA);
    await Promise.all([connected(sB), connected(adminSockA), connected(adminSockB)]);
    expect(Object.keys(readyA.rooms)).not.toContain(`tenant:${tenantB}`);
    const gotA = collect(sA, 'trading.control');
    const gotB = collect(sB, 'trading.control');
    const adminGotA = collect(adminSockA, 'trading.control');
    const auditA = collect(adminSockA, 'audit.entry');
    const auditB = collect(adminSockB, 'audit.entry');

    // A client cannot pick its rooms: a join request is not a server API.
    sB.emit('join', `tenant:${tenantA}`);

    for (const enabled of [false, true]) {
      const r = await stack.api('/api/trading/control', { method: 'PUT', token: adminA, body: { scope: 'tenant', tradingEnabled: enabled, ...(enabled ? {} : { killSwitchReason: 'A maintenance' }) } });
      expect(r.status).toBe(200);
    }
    await settle();
    expect(gotA.map((e) => e.data.tradingEnabled)).toEqual([false, true]);
    expect(gotA.map((e) => e.room)).toEqual([`tenant:${tenantA}`, `tenant:${tenantA}`]);
    expect(gotA[1]!.seq).toBe(gotA[0]!.seq + 1);
    expect(adminGotA).toHaveLength(2);
    expect(auditA.map((e) => e.data.action)).toEqual(['trading.control.tenant', 'trading.control.tenant']);
    expect(gotB).toEqual([]);
    expect(auditB).toEqual([]);

    await stack.api('/api/trading/control', { method: 'PUT', token: operator, body: { scope: 'global', tradingEnabled: false, killSwitchReason: 'drill' } });
    await stack.api('/api/trading/control', { method: 'PUT', token: operator, body: { scope: 'global', tradingEnabled: true } });
    await settle();
    for (const got of [gotA, gotB]) {
      const global = got.filter((e) => e.room === 'platform');
      expect(global.map((e) => e.data.scope)).toEqual(['global', 'global']);
      expect(global[1]!.seq).toBe(global[0]!.seq + 1);
    }
    // Platform-wide audit entries go to operators only.
    expect(auditB).toEqual([]);
  });

  it('drops a socket when its access token expires', async () => {
    const fresh = await login('viewer');
    const s = open('/trading', fresh);
    await connected(s);
    const t0 = Date.now();
    const reason = await new Promise<string>((resolve) => s.once('disconnect', resolve));
    const elapsed = Date.now() - t0;
    expect(reason).toBe('io server disconnect');
    expect(elapsed).toBeLessThan(8_000);
    // And it cannot come back with the expired token.
    expect((await refused(open('/trading', fresh))).code).toBe('AUTH_TOKEN_EXPIRED');
  }, 15_000);
});
