import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestStack, type TestStack } from '@kestrel/test-stack';

describe('OpenAPI document and observability endpoints', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ kind: 'pglite' });
  });
  afterAll(async () => stack?.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await stack.api('/docs/json');
    expect(res.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(res.body.openapi).toMatch(/^3\.1/);
  });

  it('lists every route of the app, each with its error envelope', async () => {
    const doc = (await stack.api('/docs/json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: unknown };
    const routes = stack.backend.app.kestrel.routes.filter((r) => !r.hidden);
    expect(routes.length).toBeGreaterThanOrEqual(9);
    for (const r of routes) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.url} missing from /docs/json`).toBeDefined();
      if (r.url.startsWith('/api/')) expect(Object.keys(op!.responses), `${r.method} ${r.url}`).toEqual(expect.arrayContaining(['401', '403', '429', '500']));
    }
    expect(JSON.stringify(doc.components)).toContain('ErrorEnvelope');
  });

  it('serves the API docs UI at /docs', async () => {
    const res = await fetch(`${stack.backend.url}/docs/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<html');
  });

  it('/metrics exposes request duration by route and status, and process metrics', async () => {
    await stack.api('/health/live');
    await stack.api('/api/user/me');
    const res = await fetch(`${stack.backend.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200"\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/user\/me",status_code="401"\} \d+/);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('socket_connections');
  });

  it('/health/ready checks the database and the JWKS, and says which one fails', async () => {
    const ok = await stack.api('/health/ready');
    expect(ok.status).toBe(200);
    expect(ok.body.checks).toMatchObject({ database: { ok: true }, platformJwks: { ok: true } });
    await stack.platform.close();
    const down = await stack.api('/health/ready');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'down', checks: { database: { ok: true }, platformJwks: { ok: false } } });
    expect((await stack.api('/health/live')).status).toBe(200);
  });
});
