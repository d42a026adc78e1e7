/**
 * npm run reconcile:lifecycle-history
 *
 * Checks the stored lifecycle history (order_events) of every order of every tenant against the
 * order state machine, as reconciliation runs do per exchange account, and prints a report.
 * Opens the backend's database the way the backend does: DATABASE_URL (PostgreSQL) when set, else
 * the embedded PGlite folder BACKEND_DATA_DIR (default .data/backend). Changes nothing.
 *
 * Exit code: 0 every history is sound; 1 some histories break the state machine (listed);
 * 2 the check could not run (the message says why and what to do).
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '@kestrel/backend/config';
import { createDatabase, migrate, type Database } from '@kestrel/db';
import { checkLifecycles, type LifecycleIssue } from '../apps/backend/src/trading/reconciliation/lifecycle-check.ts';

/** This command reads no exchange secret; the backend's config still insists on a key beside DATABASE_URL. */
const UNUSED_SECRETS_KEY = Buffer.alloc(32).toString('base64');

function fail(message: string): never {
  console.error(`\nreconcile:lifecycle-history could not run: ${message}`);
  process.exit(2);
}

function describeDatabase(url: string | undefined, dataDir: string): string {
  if (!url) return `PGlite folder ${dataDir}`;
  const u = new URL(url);
  return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
}

function printIssues(issues: readonly LifecycleIssue[]): void {
  const byCode = new Map<string, number>();
  for (const i of issues) for (const p of i.problems) byCode.set(p.code, (byCode.get(p.code) ?? 0) + 1);
  console.log('\nProblems by code:');
  for (const [code, n] of [...byCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`  ${code.padEnd(32)} ${n}`);
  console.log('\nOrders with problems:');
  for (const i of issues) {
    console.log(`  order ${i.orderId}  client order id ${i.clientOrderId}  status ${i.status}  tenant ${i.tenantId}  exchange account ${i.exchangeAccountId}`);
    for (const p of i.problems) console.log(`    - ${p.message} [${p.code}]`);
  }
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ ...process.env, EXCHANGE_SECRETS_KEY: process.env.EXCHANGE_SECRETS_KEY || UNUSED_SECRETS_KEY });
  } catch (err) {
    fail((err as Error).message);
  }
  const where = describeDatabase(config.DATABASE_URL, config.BACKEND_DATA_DIR);
  if (!config.DATABASE_URL && !existsSync(config.BACKEND_DATA_DIR)) {
    fail(`there is no database in ${config.BACKEND_DATA_DIR}. Start Kestrel once (npm start) to create it, set BACKEND_DATA_DIR to the folder you use, or set DATABASE_URL for PostgreSQL.`);
  }
  let database: Database;
  try {
    database = createDatabase({ url: config.DATABASE_URL, dataDir: config.BACKEND_DATA_DIR, poolSize: 2, onError: () => {} });
  } catch (err) {
    const message = (err as Error).message;
    if (/in use by process/.test(message)) {
      fail(`${message}\nThe embedded database is open in a running Kestrel backend and cannot be read beside it. Stop Kestrel (Ctrl-C in the terminal of npm start) and run this again, or point DATABASE_URL at the PostgreSQL database Kestrel uses.`);
    }
    fail(message);
  }
  let failure: string | null = null;
  try {
    console.log(`Checking the lifecycle history of every order (all tenants) in ${where}…`);
    await migrate(database, 'backend');
    const result = await checkLifecycles(database, { allTenants: true }, { onProgress: (checked, issues) => console.log(`  ${checked} orders checked, ${issues} with problems so far`) });
    if (result.issues.length === 0) {
      console.log(`\nChecked ${result.checked} orders: every lifecycle history follows the order state machine.`);
      return;
    }
    console.log(`\nChecked ${result.checked} orders: ${result.issues.length} with a lifecycle history that breaks the order state machine.`);
    printIssues(result.issues);
    console.log(
      '\nWhat to do: nothing was changed. Look each order up (GET /api/orders/<order id> shows its history and fills) and compare it with the exchange; the history is append-only, so a wrong status is corrected by a new step, not by editing the rows.',
    );
    process.exitCode = 1;
  } catch (err) {
    const message = (err as Error).message;
    failure = /ECONNREFUSED|password authentication|does not exist/.test(message) ? `${message}. Check DATABASE_URL: the PostgreSQL server must be reachable and the database must exist.` : message;
  } finally {
    await database.close().catch(() => {});
  }
  if (failure !== null) fail(failure);
}

await main();
