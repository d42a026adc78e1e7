import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { createServer } from './create-server.ts';

/** What a client sees when the database goes away under a request. */
describe('error envelope for a lost database connection', () => {
  it('answers 503 DEPENDENCY_UNAVAILABLE with Retry-After (not a 500) when the connection was terminated, wrapped or not', async () => {
    const app = createServer({ logger: createLogger({ name: 'test', level: 'silent' }) });
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    app.get('/wrapped', async () => {
      throw Object.assign(new Error('Failed query: insert into "orders" …'), { cause: terminated });
    });
    app.get('/reset', async () => {
      throw new Error('Connection terminated unexpectedly');
    });
    app.get('/bug', async () => {
      throw new Error('some bug');
    });
    for (const url of ['/wrapped', '/reset']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json().error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringContaining('Try again') });
      expect(res.body).not.toContain('insert into');
    }
    const bug = await app.inject({ url: '/bug' });
    expect(bug.statusCode).toBe(500);
    expect(bug.json().error.code).toBe('INTERNAL_ERROR');
    await app.close();
  });
});
