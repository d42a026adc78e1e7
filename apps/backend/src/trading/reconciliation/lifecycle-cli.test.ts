import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrate, orderEvents, type Database } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { createLogger } from '@kestrel/server-kit';
import { dec } from '@kestrel/trading-core';
import { OrderPipeline } from '../order-pipeline.ts';
import { paperVenue, singleVenue, tradingFixture } from '../testing/paper-venue.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const logger = createLogger({ name: 'test', level: 'silent' });

/** `npm run reconcile:lifecycle-history`'s program, run as a child process the way a person runs it. */
function runCli(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['scripts/reconcile-lifecycle-history.ts'], { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** Two filled orders; the second one's history gets a step the state machine forbids, written straight into order_events. */
async function seed(database: Database): Promise<{ good: { id: string; clientOrderId: string }; bad: { id: string; clientOrderId: string } }> {
  await migrate(database, 'backend');
  const f = await tradingFixture(database);
  const pipeline = new OrderPipeline(database, singleVenue(paperVenue()), logger);
  const place = async () => (await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: { kind: 'order', side: 'buy', orderType: 'market', quantity: dec('0.1'), reason: 'cli test' }, source: 'strategy' })).order!;
  const good = await place();
  const bad = await place();
  await pipeline.drain();
  pipeline.close();
  await database.db.insert(orderEvents).values({ tenantId: f.tenantId, orderId: bad.id, at: new Date(), fromStatus: 'filled', toStatus: 'accepted', event: 'OrderAccepted', source: 'exchange', reason: 'corrupted by hand' });
  return { good, bad };
}

describe.each(dbTargets())('npm run reconcile:lifecycle-history [%s]', (kind) => {
  let dir = '';
  let database: TestDatabase | null = null;
  let env: Record<string, string> = {};
  let seeded: Awaited<ReturnType<typeof seed>>;

  beforeAll(async () => {
    if (kind === 'pglite') {
      dir = mkdtempSync(join(tmpdir(), 'kestrel-lifecycle-'));
      const folder = createDatabase({ dataDir: dir });
      seeded = await seed(folder);
      await folder.close(); // releases the folder's lock, as a stopped backend does
      env = { BACKEND_DATA_DIR: dir, DATABASE_URL: '' };
    } else {
      database = await createTestDatabase('postgres');
      seeded = await seed(database);
      env = { DATABASE_URL: database.url! };
    }
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports the order whose history breaks the state machine (id, client order id, problems by code) and exits 1; the sound one is not listed', async () => {
    const { code, out } = await runCli(env);
    expect(out).toMatch(/Checking the lifecycle history of every order/);
    expect(out).toMatch(/Checked 2 orders: 1 with a lifecycle history that breaks the order state machine/);
    expect(out).toMatch(/Problems by code:\s+LIFECYCLE_\w+/);
    expect(out).toContain('LIFECYCLE_ILLEGAL_TRANSITION');
    expect(out).toContain('LIFECYCLE_STATUS_MISMATCH');
    expect(out).toContain(`order ${seeded.bad.id}  client order id ${seeded.bad.clientOrderId}`);
    expect(out).not.toContain(seeded.good.id);
    expect(out).toMatch(/What to do: nothing was changed/);
    expect(code).toBe(1);
  }, 120_000);
});

/** What only the embedded database has: a folder, its lock, and a fresh one with sound histories. */
describe('npm run reconcile:lifecycle-history on a PGlite folder', () => {
  it('only sound histories: exits 0 and says so; the same folder locked by a running backend: says so and what to do (stop Kestrel, or DATABASE_URL), exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-lifecycle-clean-'));
    try {
      const folder = createDatabase({ dataDir: dir });
      await migrate(folder, 'backend');
      const f = await tradingFixture(folder);
      const pipeline = new OrderPipeline(folder, singleVenue(paperVenue()), logger);
      await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: { kind: 'order', side: 'buy', orderType: 'market', quantity: dec('0.1'), reason: 'cli test' }, source: 'strategy' });
      await pipeline.drain();
      pipeline.close();
      await folder.close();
      const clean = await runCli({ BACKEND_DATA_DIR: dir, DATABASE_URL: '' });
      expect(clean.out).toMatch(/Checked 1 orders: every lifecycle history follows the order state machine/);
      expect(clean.code).toBe(0);

      const running = createDatabase({ dataDir: dir });
      try {
        const locked = await runCli({ BACKEND_DATA_DIR: dir, DATABASE_URL: '' });
        expect(locked.out).toMatch(/in use by process/);
        expect(locked.out).toMatch(/Stop Kestrel/);
        expect(locked.out).toMatch(/DATABASE_URL/);
        expect(locked.code).toBe(2);
      } finally {
        await running.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('no database in the folder: says so and what to do, exits 2 and creates nothing', async () => {
    const missing = join(tmpdir(), `kestrel-lifecycle-missing-${process.pid}-${Date.now()}`);
    const { code, out } = await runCli({ BACKEND_DATA_DIR: missing, DATABASE_URL: '' });
    expect(out).toMatch(/there is no database in/);
    expect(out).toMatch(/npm start/);
    expect(code).toBe(2);
    expect(existsSync(missing)).toBe(false);
  }, 120_000);
});
