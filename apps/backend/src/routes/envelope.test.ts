import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorEnvelopeSchema } from '@kestrel/contracts';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';

const SECRET = 'pg://kestrel:hunter2@db.internal:5432 stack at Object.<anonymous>';

describe.each(dbTargets())('request ids and the error envelope [%s]', (kind) => {
  let stack: TestStack;
  let trader: string;
  let admin: string;

  beforeAll(async () => {
    stack = await startTestStack({
      kind,
      backend: { RATE_LIMIT_USER_PER_MINUTE: 5 },
      extendBackend: (app) => {
        app.get('/api/test/boom', { config: { access: ['viewer', 'trader', 'admin', 'operator'] } }, async () => {
          throw new Error(SECRET);
        });
      },
    });
    trader = (await stack.platform.login('trader', 'kestrel-trader-demo')).accessToken;
    admin = (await stack.platform.login('admin', 'kestrel-admin-demo')).accessToken;
  });
  afterAll(async () => stack?.close());

  const expectEnvelope = (body: unknown, code: string, requestId?: string) => {
    const parsed = errorEnvelopeSchema.parse(body);
    expect(parsed.error.code).toBe(code);
    expect(parsed.error.message.length).toBeGreaterThan(5);
    if (requestId) expect(parsed.error.requestId).toBe(requestId);
  };

  it('accepts a caller request id and returns it; generates one otherwise; replaces a hostile one', async () => {
    const given = await stack.api('/health/live', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc.123');
    const generated = await stack.api('/health/live');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await stack.api('/health/live', { headers: { 'x-request-id': 'x'.repeat(500) } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the request id is in every log line of the request and is passed on to platform-service', async () => {
    const res = await stack.api('/api/admin/users', { token: admin, headers: { 'x-request-id': 'follow-me-42' } });
    expect(res.status).toBe(200);
    expect(res.body.items.map((u: { username: string }) => u.username)).toContain('trader');
    const backendLines = stack.backend.logs.filter((l) => l.requestId === 'follow-me-42');
    expect(backendLines.length).toBeGreaterThanOrEqual(2); // incoming + completed
    const platformLines = stack.platform.logs.filter((l) => l.requestId === 'follow-me-42');
    expect(platformLines.length).toBeGreaterThanOrEqual(1);
  });

  it('400 with field details', async () => {
    const res = await stack.api('/api/trading/control', { method: 'PUT', token: admin, body: { scope: 'moon', tradingEnabled: 'yes' }, headers: { 'x-request-id': 'r-400' } });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, 'VALIDATION_FAILED', 'r-400');
    expect(Array.isArray(res.body.error.details)).toBe(true);
    const broken = await fetch(`${stack.backend.url}/api/user/preferences`, { method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: '{"theme":' });
    expect(broken.status).toBe(400);
    expectEnvelope(await broken.json(), 'BAD_REQUEST');
  });

  it('401, 403 and 404', async () => {
    const r401 = await stack.api('/api/user/me', { headers: { 'x-request-id': 'r-401' } });
    expect(r401.status).toBe(401);
    expectEnvelope(r401.body, 'AUTH_TOKEN_MISSING', 'r-401');
    const r403 = await stack.api('/api/admin/audit', { token: trader, headers: { 'x-request-id': 'r-403' } });
    expect(r403.status).toBe(403);
    expectEnvelope(r403.body, 'FORBIDDEN', 'r-403');
    const r404 = await stack.api('/api/no/such/thing', { token: trader, headers: { 'x-request-id': 'r-404' } });
    expect(r404.status).toBe(404);
    expectEnvelope(r404.body, 'NOT_FOUND', 'r-404');
  });

  it('413 for a body over the limit', async () => {
    const res = await stack.api('/api/user/preferences', { method: 'PUT', token: admin, body: { theme: 'dark', pad: 'x'.repeat(2_000_000) } });
    expect(res.status).toBe(413);
    expectEnvelope(res.body, 'PAYLOAD_TOO_LARGE');
  });

  it('a forced 500 leaks no internals: generic message and the request id only', async () => {
    const res = await stack.api('/api/test/boom', { token: admin, headers: { 'x-request-id': 'r-500' } });
    expect(res.status).toBe(500);
    expectEnvelope(res.body, 'INTERNAL_ERROR', 'r-500');
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('stack');
    expect(res.body.error.details).toBeUndefined();
    // The cause is in the log, under the same request id, for whoever investigates.
    expect(stack.backend.logs.some((l) => l.requestId === 'r-500' && JSON.stringify(l).includes('hunter2'))).toBe(true);
  });

  it('429 with Retry-After when a user goes over the limit', async () => {
    let last: Awaited<ReturnType<TestStack['api']>> | undefined;
    for (let i = 0; i < 8; i++) {
      last = await stack.api('/api/user/me', { token: trader, headers: { 'x-request-id': `r-429-${i}` } });
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expectEnvelope(last?.body, 'RATE_LIMITED');
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
