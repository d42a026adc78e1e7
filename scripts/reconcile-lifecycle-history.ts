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
import { migrate } from '@kestrel/db';
import { databaseFailure, openBackendDatabase } from './backend-database.ts';
import { checkLifecycles, type LifecycleIssue } from '../apps/backend/src/trading/reconciliation/lifecycle-check.ts';

function fail(message: string): never {
  console.error(`\nreconcile:lifecycle-history could not run: ${message}`);
  process.exit(2);
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
  let opened;
  try {
    opened = openBackendDatabase({ mustExist: true });
  } catch (err) {
    fail((err as Error).message);
  }
  const { database, where } = opened;
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
    failure = databaseFailure(err).message;
  } finally {
    await database.close().catch(() => {});
  }
  if (failure !== null) fail(failure);
}

await main();
