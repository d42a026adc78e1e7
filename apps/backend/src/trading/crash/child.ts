/**
 * Test-only child process of crash-at-every-step: `tsx child.ts '<ChildArgs as JSON>'`.
 * Opens the test's database, trades the seed's intents through the real OrderPipeline against
 * the venue served by the test process, and SIGKILLs itself the n-th time the seed's crash point
 * is reached — after printing `CRASH <point> <clientOrderId>` (synchronously, so the line is out
 * before the kill). A run that never reaches the n-th occurrence prints `DONE` and exits 0.
 */
import { writeSync } from 'node:fs';
import { createDatabase } from '@kestrel/db';
import { createLogger } from '@kestrel/server-kit';
import { OrderPipeline } from '../order-pipeline.ts';
import type { CrashPoint } from '../order-sender.ts';
import { singleVenue } from '../testing/paper-venue.ts';
import { crashPlan, intentOf, SENDER_OPTIONS, SYMBOL, type ChildArgs } from './plan.ts';
import { HttpVenue } from './http-venue.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const plan = crashPlan(args.seed);
const logger = createLogger({ name: 'crash-child', level: args.logLevel });
const database = createDatabase(args.db.kind === 'pglite' ? { dataDir: args.db.dataDir } : { url: args.db.url, poolSize: 4 });
const venue = new HttpVenue(args.venueUrl, { symbols: [SYMBOL] });

let seen = 0;
const probe = (point: CrashPoint, ctx: { readonly clientOrderId: string }) => {
  if (point !== plan.point || ++seen !== plan.occurrence) return;
  writeSync(1, `CRASH ${point} ${ctx.clientOrderId}\n`);
  process.kill(process.pid, 'SIGKILL');
};
const pipeline = new OrderPipeline(database, singleVenue(venue), logger, undefined, { ...SENDER_OPTIONS, probe });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const step of plan.steps) {
  const last = Number((await venue.fetchTicker(SYMBOL)).last);
  await pipeline.submit({ tenantId: args.tenantId, profileId: args.profileId, intent: intentOf(step, last), source: 'strategy' });
  await sleep(step.pauseMs);
}
// Resting limits may still fill: the stream books them (and may reach the crash point) meanwhile.
await sleep(250);
await pipeline.drain();
pipeline.close();
venue.close();
await database.close();
writeSync(1, 'DONE\n');
