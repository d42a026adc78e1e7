import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { startTestBackend, startTestPlatform, type TestBackend, type TestPlatform } from '@kestrel/test-stack';

type Envelope = { room: string; seq: number; data: { tradingEnabled: boolean } };

/** Several backend instances behind one Redis: a socket on one sees what another publishes. */
describe.runIf(Boolean(process.env.REDIS_URL))('Socket.IO across two backend instances through Redis (needs REDIS_URL)', () => {
  let platform: TestPlatform;
  const backends: TestBackend[] = [];
  let socket: Socket | undefined;

  beforeAll(async () => {
    platform = await startTestPlatform({ kind: 'pglite' });
    const shared = { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `kestrel-test-${randomUUID()}:` };
    for (let i = 0; i < 2; i++) {
      backends.push(await startTestBackend({ kind: 'pglite', platformUrl: platform.url, issuer: platform.config.JWT_ISSUER, config: shared }));
    }
  });
  afterAll(async () => {
    socket?.close();
    for (const b of backends) await b.close();
    await platform?.close();
  });

  it('events published on instance B reach a socket on instance A, with one seq per room across both', async () => {
    const admin = await platform.login('admin', 'kestrel-admin-demo');
    const room = `tenant:${admin.user.tenantId}`;
    socket = connect(`${backends[0]!.url}/trading`, { auth: { token: admin.accessToken }, transports: ['websocket'], reconnection: false });
    const ready = await new Promise<{ rooms: Record<string, number> }>((resolve, reject) => {
      socket!.once('ready', resolve);
      socket!.once('connect_error', reject);
    });
    expect(ready.rooms[room]).toBe(0);
    const got: Envelope[] = [];
    socket.on('trading.control', (e: Envelope) => got.push(e));

    const put = (b: TestBackend, enabled: boolean) =>
      fetch(`${b.url}/api/trading/control`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: 'tenant', tradingEnabled: enabled, ...(enabled ? {} : { killSwitchReason: 'fan-out test' }) }),
      });
    expect((await put(backends[1]!, false)).status).toBe(200);
    expect((await put(backends[0]!, true)).status).toBe(200);
    for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 50));

    expect(got.map((e) => [e.room, e.seq, e.data.tradingEnabled])).toEqual([
      [room, 1, false],
      [room, 2, true],
    ]);
  });
});
