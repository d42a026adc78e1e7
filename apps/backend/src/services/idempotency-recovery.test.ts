import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisions, eq, idempotencyKeys, migrate, orders } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { createLogger } from '@kestrel/server-kit';
import { OrderPipeline } from '../trading/order-pipeline.ts';
import { paperVenue, singleVenue, tradingFixture } from '../trading/testing/paper-venue.ts';
import { IdempotencyService } from './idempotency.ts';
import { OrderService } from './orders.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A manual order whose process died while its Idempotency-Key was pending: the client's retry must
 * neither wait forever nor place a second order.
 */
describe.each(dbTargets())('Idempotency-Key after a crash [%s]', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
  }, 60_000);
  afterAll(async () => database?.close());

  const setup = async () => {
    const f = await tradingFixture(database, { capital: '100000' });
    const venue = paperVenue();
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger);
    const orderService = new OrderService(database, pipeline);
    const idem = new IdempotencyService(database, { waitMs: 3_000, pollMs: 10, staleMs: 1_500 });
    const actor = { userId: randomUUID(), tenantId: f.tenantId, username: 'trader', roles: ['trader'] as const, requestId: 'r' };
    const body = { profileId: f.profileId, side: 'buy' as const, type: 'market' as const, quantity: '0.5' };
    const request = { method: 'POST', path: '/api/orders', body };
    const claim = (key: string) =>
      // What the first request did before it died: it claimed the key (same hash as `run` computes, via a run that never finishes).
      idem.run(actor, key, request, () => new Promise<never>(() => {}));
    return { f, venue, pipeline, orderService, idem, actor, body, request, claim };
  };

  it('died after its order was placed: the retry answers with that order (replayed), and no second order reaches the venue', async () => {
    const s = await setup();
    void s.claim('crash-after');
    await sleep(50);
    // The dead request had got as far as placing the order (decision stored with the key).
    await s.orderService.place(s.actor, s.body, 'crash-after');
    expect(s.venue.engine.stats.submitted).toBe(1);
    await sleep(1_700); // the key is now stale-pending
    let executed = 0;
    const retry = await s.idem.run(s.actor, 'crash-after', s.request, async () => ({ statusCode: 201, body: (executed++, await s.orderService.place(s.actor, s.body, 'crash-after')) }), () =>
      s.orderService.recoverByKey(s.actor, 'crash-after'),
    );
    expect(executed).toBe(0);
    expect(retry).toMatchObject({ statusCode: 201, replayed: true });
    const rows = await database.db.select().from(orders).where(eq(orders.profileId, s.f.profileId));
    expect(rows).toHaveLength(1);
    expect((retry.body as { order: { id: string; status: string } }).order).toMatchObject({ id: rows[0]!.id, status: 'filled' });
    expect(s.venue.engine.stats.submitted).toBe(1);
    // Stored: a later repeat replays the same answer at once.
    const [key] = await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'crash-after'));
    expect(key).toMatchObject({ status: 'done', statusCode: 201 });
    await s.pipeline.drain();
  });

  it('died before deciding anything: the retry takes the key over and places the order once', async () => {
    const s = await setup();
    void s.claim('crash-before');
    await sleep(50);
    // A retry before the key is stale is told to retry shortly (the first request might still be running).
    const early = new IdempotencyService(database, { waitMs: 50, pollMs: 10, staleMs: 60_000 });
    await expect(early.run(s.actor, 'crash-before', s.request, async () => ({ statusCode: 201, body: null }), () => s.orderService.recoverByKey(s.actor, 'crash-before'))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
    await sleep(1_700);
    const retries = await Promise.all(
      [1, 2, 3].map(() =>
        s.idem.run(s.actor, 'crash-before', s.request, async () => ({ statusCode: 201, body: await s.orderService.place(s.actor, s.body, 'crash-before') }), () => s.orderService.recoverByKey(s.actor, 'crash-before')),
      ),
    );
    expect(new Set(retries.map((r) => (r.body as { order: { id: string } }).order.id)).size).toBe(1);
    expect(await database.db.select().from(orders).where(eq(orders.profileId, s.f.profileId))).toHaveLength(1);
    expect(s.venue.engine.stats.submitted).toBe(1);
    await s.pipeline.drain();
  });

  it('the database itself refuses a second decision for one key', async () => {
    const s = await setup();
    await s.orderService.place(s.actor, s.body, 'unique-key');
    await expect(s.orderService.place(s.actor, s.body, 'unique-key')).rejects.toThrow();
    expect(await database.db.select().from(decisions).where(eq(decisions.profileId, s.f.profileId))).toHaveLength(1);
    expect(s.venue.engine.stats.submitted).toBe(1);
    await s.pipeline.drain();
  });
});
