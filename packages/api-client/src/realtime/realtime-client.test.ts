import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '@kestrel/db/testing';
import { rooms, type TradingControl } from '@kestrel/contracts';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { createKestrelClient, type KestrelClient } from '../client.ts';
import { cookieFetch } from '../testing/cookie-fetch.ts';
import type { ConnectionStatus, RealtimeClient, ResyncReason } from './realtime-client.ts';

const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/**
 * The socket client against the real backend gateway: the sequence gaps, reconnections and token
 * expiries are produced by the server, and the refetch goes through the real REST API.
 */
describe.each(dbTargets())('RealtimeClient against the real backend socket [%s]', (kind) => {
  let stack: TestStack;
  let trader: KestrelClient;
  let admin: KestrelClient;
  let tenantId = '';
  let profileId = '';
  const sockets: Array<RealtimeClient<'/trading' | '/admin'>> = [];

  const signedIn = async (username: string) => {
    const c = createKestrelClient({ baseUrl: stack.backend.url, fetch: cookieFetch().fetch, realtime: { backoff: { baseMs: 100, maxMs: 1_000 } } });
    await c.session.login({ username, password: `kestrel-${username}-demo` });
    return c;
  };
  /** The server side of a user's /trading sockets. */
  const serverSockets = async (username: string) => [...stack.backend.app.kestrel.io.of('/trading').sockets.values()].filter((s) => (s.data as { auth: { username: string } }).auth.username === username);

  beforeAll(async () => {
    // Four-second tokens: a socket outlives its token within a test.
    stack = await startTestStack({ kind, platform: { ACCESS_TOKEN_TTL_SECONDS: 4 } });
    trader = await signedIn('trader');
    admin = await signedIn('admin');
    tenantId = (await trader.api.user.me()).tenantId;
    const account = await trader.api.exchangeAccounts.create({ name: 'Paper', kind: 'paper', venue: 'paper' });
    profileId = (await trader.api.profiles.create({ name: 'Socket bot', exchangeAccountId: account.id, symbol: 'BTC/USDT', timeframe: '1m', strategy: 'sma-cross', strategyParams: {}, rules: {}, riskLimits: {}, capitalAllocation: '1000', mode: 'paper' })).id;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    for (const c of [trader, admin]) c?.session.dispose();
    await stack?.close();
  });

  it('detects a sequence gap made by the server and refetches the state it missed over REST', async () => {
    const socket = trader.realtime('/trading');
    sockets.push(socket);
    // What the page shows: the kill switch as the last event or refetch left it.
    let shown: Pick<TradingControl, 'effectiveTradingEnabled'> | null = null;
    const resyncs: Array<[string, ResyncReason]> = [];
    socket.on('trading.control', (e) => (shown = { effectiveTradingEnabled: e.data.tradingEnabled }));
    socket.onResync((room, reason) => {
      resyncs.push([room, reason]);
      if (room === rooms.tenant(tenantId)) void trader.api.tradingControl.get().then((c) => (shown = c));
    });
    socket.connect();
    await until('the first join', () => resyncs.some(([r, why]) => r === rooms.tenant(tenantId) && why === 'joined'));
    await until('the first refetch', () => shown?.effectiveTradingEnabled === true);

    // The socket is out of its tenant room while the admin halts trading: it misses that event.
    const [server] = await serverSockets('trader');
    server!.leave(rooms.tenant(tenantId));
    await admin.api.tradingControl.update({ scope: 'tenant', tradingEnabled: false, killSwitchReason: 'missed on purpose' });
    server!.join(rooms.tenant(tenantId));
    expect(shown).toMatchObject({ effectiveTradingEnabled: true });

    // The next event in the room (a profile change) arrives with seq + 2: the gap triggers the refetch.
    await trader.api.profiles.update(profileId, { name: 'Socket bot 2' });
    await until('the gap', () => resyncs.some(([r, why]) => r === rooms.tenant(tenantId) && why === 'gap'));
    await until('the refetched switch', () => shown?.effectiveTradingEnabled === false);
    await admin.api.tradingControl.update({ scope: 'tenant', tradingEnabled: true });
    await until('the live event', () => shown?.effectiveTradingEnabled === true);
    expect(resyncs.filter(([, why]) => why === 'gap')).toHaveLength(1);
    socket.close();
  });

  it('reconnects after the connection drops, re-subscribes its profile room and asks for a refetch of every room', async () => {
    const socket = trader.realtime('/trading');
    sockets.push(socket);
    const statuses: ConnectionStatus[] = [];
    socket.state.subscribe((s) => statuses.push(s.status));
    const resyncs: Array<[string, ResyncReason]> = [];
    socket.onResync((room, reason) => resyncs.push([room, reason]));
    const states: string[] = [];
    socket.on('profile.state', (e) => states.push(`${e.room} ${e.data.status}`));
    const leave = socket.subscribeProfile(profileId);
    socket.connect();
    await until('the profile room', () => resyncs.some(([r]) => r === rooms.profile(profileId)));

    const [server] = await serverSockets('trader');
    server!.conn.close();
    await until('the rejoined profile room', () => resyncs.some(([r, why]) => r === rooms.profile(profileId) && why === 'rejoined'));
    expect(resyncs).toContainEqual([rooms.tenant(tenantId), 'rejoined']);
    expect(statuses).toEqual(expect.arrayContaining(['connecting', 'connected', 'reconnecting']));
    expect(socket.state.get().status).toBe('connected');
    const [again] = await serverSockets('trader');
    expect(again!.rooms.has(rooms.profile(profileId))).toBe(true);

    // Events reach it from both rooms after the reconnection; leaving the profile room stops one of them.
    await trader.api.profiles.act(profileId, 'start');
    await until('both copies', () => states.includes(`${rooms.profile(profileId)} running`) && states.includes(`${rooms.tenant(tenantId)} running`));
    leave();
    await until('the left room', async () => !(await serverSockets('trader'))[0]!.rooms.has(rooms.profile(profileId)));
    await trader.api.profiles.act(profileId, 'stop');
    socket.close();
  });

  it('when the token expires the server drops the socket; the client refreshes the session and reconnects by itself', async () => {
    const socket = admin.realtime('/admin');
    sockets.push(socket);
    const resyncs: Array<[string, ResyncReason]> = [];
    socket.onResync((room, reason) => resyncs.push([room, reason]));
    const audit: string[] = [];
    socket.on('audit.entry', (e) => audit.push(e.data.action));
    socket.connect();
    await until('joined', () => resyncs.length > 0);
    // Past the 4 s token: session.expired, disconnect, refresh, reconnect.
    await until('rejoined after expiry', () => resyncs.some(([, why]) => why === 'rejoined'), 12_000);
    expect(socket.state.get().status).toBe('connected');
    await admin.api.tradingControl.update({ scope: 'tenant', tradingEnabled: true });
    await until('an event on the new connection', () => audit.includes('trading.control.tenant'));
    socket.close();
    expect(socket.state.get().status).toBe('closed');
  });

  it('a namespace the role may not use is refused for good, with the server’s reason', async () => {
    const socket = trader.realtime('/admin');
    sockets.push(socket);
    socket.connect();
    await until('refused', () => socket.state.get().status === 'refused');
    expect(socket.state.get().error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('admin') });
    socket.close();
  });

  it('reports a refused subscription (another tenant’s or an unknown profile)', async () => {
    const socket = trader.realtime('/trading');
    sockets.push(socket);
    const errors: string[] = [];
    socket.onError((e) => errors.push(e.code));
    socket.connect();
    socket.subscribeProfile('00000000-0000-4000-8000-000000000000');
    await until('the refusal', () => errors.includes('NOT_FOUND'));
    socket.close();
  });
});
