/**
 * Test-only harness of crash-at-every-step (RELIABILITY.md): a seed picks a crash point, the
 * occurrence of that point to die at and a random sequence of intents; a child process
 * (`child.ts`) trades them through the real OrderPipeline against a venue that lives in the test
 * process (`http-venue.ts`) and SIGKILLs itself at the chosen boundary; a fresh pipeline then
 * reconciles the account and finishes its work, and `checkInvariants` compares the database with
 * the venue's own records.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, decisions, eq, exchangeAccounts, fills, ledgerEntries, orders, positions, type Database } from '@kestrel/db';
import { derivePrng, type PaperExchange, type VenueOrder, type VenueTrade } from '@kestrel/exchanges';
import { Dec, isTerminal } from '@kestrel/trading-core';
import type { Logger } from 'pino';
import { RealtimeHub } from '../../realtime/hub.ts';
import { OrderPipeline } from '../order-pipeline.ts';
import type { CrashPoint } from '../order-sender.ts';
import { Reconciler } from '../reconciliation/reconciler.ts';
import { singleVenue } from '../testing/paper-venue.ts';
import { HttpVenue } from './http-venue.ts';
import { SENDER_OPTIONS, SYMBOL, type ChildArgs } from './plan.ts';

export { CRASH_POINTS, crashPlan, SYMBOL, type ChildArgs, type CrashPlan } from './plan.ts';

export interface ChildOutcome {
  /** Where the child killed itself, or null when the run never reached the chosen occurrence. */
  readonly crash: { readonly point: CrashPoint; readonly clientOrderId: string } | null;
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'child.ts');

/** Runs child.ts with the repository's tsx; a child that neither finishes nor dies in time is killed and reported. */
export function runChild(args: ChildArgs, timeoutMs = 60_000): Promise<ChildOutcome> {
  return new Promise((done, fail) => {
    // `node --import tsx`, not the tsx CLI: the CLI would run the script in a grandchild and hide its SIGKILL behind an exit code.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      stderr += `\n[crash harness] the child did not finish within ${timeoutMs} ms and was killed`;
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const m = /^CRASH (\S+) (\S+)$/m.exec(stdout);
      done({ crash: m ? { point: m[1] as CrashPoint, clientOrderId: m[2]! } : null, signal, code, stderr });
    });
  });
}

/** Everything the venue did, from its own engine: every order (by venue id, latest state) and every trade. */
export interface VenueRecords {
  readonly orders: Map<string, VenueOrder>;
  readonly trades: VenueTrade[];
}

export function recordVenue(venue: PaperExchange): VenueRecords {
  const records: VenueRecords = { orders: new Map(), trades: [] };
  venue.engine.subscribe((e) => {
    if (e.type === 'order') records.orders.set(e.order.venueOrderId, e.order);
    else records.trades.push(e.trade);
  });
  return records;
}

/** A seeded random walk of the venue's price (±0.2 % per step, kept within 96–104), so resting limits fill now and then. */
export function startPriceWalk(venue: PaperExchange, seed: number, everyMs = 15): () => void {
  const rng = derivePrng(seed, 'price-walk');
  let price = 100;
  const timer = setInterval(() => {
    price = Math.min(104, Math.max(96, price * (1 + (rng.next() - 0.5) * 0.004)));
    venue.engine.onTick(SYMBOL, Math.round(price * 10) / 10, Date.now());
  }, everyMs);
  return () => clearInterval(timer);
}

/**
 * The restart: a fresh pipeline on the same database and venue runs the start-up reconciliation of
 * the account, then finishes what it started (ambiguous orders looked up, fills pulled). Returns
 * what went wrong with the run itself (empty when it succeeded).
 */
export async function recover(database: Database, venueUrl: string, accountId: string, logger: Logger): Promise<string[]> {
  const venue = new HttpVenue(venueUrl, { symbols: [SYMBOL] });
  const venues = singleVenue(venue);
  const pipeline = new OrderPipeline(database, venues, logger, undefined, SENDER_OPTIONS);
  try {
    const [account] = await database.db.select().from(exchangeAccounts).where(eq(exchangeAccounts.id, accountId));
    if (!account) throw new Error(`no exchange account ${accountId}`);
    // notFoundAfterMs 0: the process that wrote a still-`new` order is dead (nothing can be resolving it); in production the
    // start-up run defers such an order for a minute and a periodic run settles it the same way.
    const reconciler = new Reconciler({ database, venues, sender: pipeline.sender, hub: new RealtimeHub(), logger, options: { notFoundAfterMs: 0 } });
    const run = await reconciler.reconcileAccount(account, 'startup');
    await pipeline.drain();
    return run.status === 'succeeded' ? [] : [`the start-up reconciliation ${run.status}: ${run.error ?? ''}`];
  } finally {
    pipeline.close();
    venue.close();
  }
}

export interface Fixture {
  readonly tenantId: string;
  readonly accountId: string;
  readonly profileId: string;
}

/**
 * What must hold after crash, restart and reconciliation; returns the violations (empty: all good).
 * `crash` is where the child died (null: it ran to the end).
 */
export async function checkInvariants(
  database: Database,
  f: Fixture,
  venue: VenueRecords,
  crash: ChildOutcome['crash'],
): Promise<string[]> {
  const v: string[] = [];
  const db = database.db;
  const rows = await db.select().from(orders).where(eq(orders.exchangeAccountId, f.accountId));
  const fillRows = await db.select().from(fills).where(eq(fills.exchangeAccountId, f.accountId));
  const ds = await db.select().from(decisions).where(eq(decisions.profileId, f.profileId));
  const entries = await db.select().from(ledgerEntries).where(eq(ledgerEntries.profileId, f.profileId)).orderBy(asc(ledgerEntries.id));
  const [position] = await db.select().from(positions).where(eq(positions.profileId, f.profileId));

  const venueByCoid = new Map<string, VenueOrder[]>();
  for (const o of venue.orders.values()) venueByCoid.set(o.clientOrderId, [...(venueByCoid.get(o.clientOrderId) ?? []), o]);
  const rowByCoid = new Map(rows.map((r) => [r.clientOrderId, r]));

  // Each approved intent has exactly one order row.
  for (const d of ds.filter((x) => x.outcome === 'approved')) {
    const n = rows.filter((r) => r.decisionId === d.id).length;
    if (n !== 1) v.push(`decision ${d.seq} (approved) has ${n} order rows, expected 1`);
  }
  for (const r of rows) {
    const at = venueByCoid.get(r.clientOrderId) ?? [];
    const name = `order ${r.clientOrderId} (${r.side} ${r.orderType} ${r.quantity}, ${r.status})`;
    if (at.length > 1) v.push(`${name}: ${at.length} venue orders with its client order id (${at.map((o) => o.venueOrderId).join(', ')}), expected at most 1`);
    if (r.status === 'new' || r.status === 'submitted') v.push(`${name}: still ${r.status} after reconciliation`);
    const vo = at[0];
    if (!vo) {
      if (!isTerminal(r.status)) v.push(`${name}: the venue never got it, yet it is not terminal`);
      if (!new Dec(r.filledQty).isZero()) v.push(`${name}: the venue never got it, yet filled ${r.filledQty}`);
      continue;
    }
    if (r.venueOrderId !== vo.venueOrderId) v.push(`${name}: venue order id ${r.venueOrderId ?? 'null'}, the venue says ${vo.venueOrderId}`);
    const venueDone = vo.status === 'filled' || vo.status === 'cancelled' || vo.status === 'rejected' || vo.status === 'expired';
    if (venueDone && !isTerminal(r.status)) v.push(`${name}: open, but the venue order is ${vo.status}`);
    if (!venueDone && isTerminal(r.status)) v.push(`${name}: ${r.status}, but the venue order is still ${vo.status}`);
    if (!new Dec(r.filledQty).equals(vo.filledQuantity)) v.push(`${name}: filled ${r.filledQty}, the venue filled ${vo.filledQuantity}`);
    const fillSum = fillRows.filter((x) => x.orderId === r.id).reduce((s, x) => s.plus(x.quantity), new Dec(0));
    if (!fillSum.equals(r.filledQty)) v.push(`${name}: filled_qty ${r.filledQty} ≠ Σ fills ${fillSum.toFixed()}`);
  }
  // No untracked venue order.
  for (const [coid, os] of venueByCoid) if (!rowByCoid.has(coid)) v.push(`venue order ${os.map((o) => o.venueOrderId).join(', ')} (${coid}) has no order row`);
  // The crashed order: none at the venue if killed before the send, exactly one after.
  if (crash) {
    const n = venueByCoid.get(crash.clientOrderId)?.length ?? 0;
    const expected = crash.point === 'intent.committed' ? 0 : 1;
    if (n !== expected) v.push(`killed at ${crash.point} of ${crash.clientOrderId}: ${n} venue orders, expected ${expected}`);
  }
  // Every venue trade booked exactly once, on the right order; no fill the venue does not know.
  const tradeIds = new Set(venue.trades.map((t) => t.tradeId));
  for (const t of venue.trades) {
    const booked = fillRows.filter((x) => x.tradeId === t.tradeId && x.venue === 'paper');
    if (booked.length !== 1) v.push(`venue trade ${t.tradeId} (${t.clientOrderId}) booked ${booked.length} times, expected once`);
    else if (booked[0]!.orderId !== rowByCoid.get(t.clientOrderId ?? '')?.id) v.push(`venue trade ${t.tradeId} booked on the wrong order`);
  }
  for (const x of fillRows) if (!tradeIds.has(x.tradeId)) v.push(`fill ${x.tradeId} is not a venue trade`);

  // Ledger: every transaction sums to zero per currency; cash never negative; no reservation held by a finished order.
  const perTx = new Map<string, Dec>();
  const balance = new Map<string, Dec>();
  const txOrder: string[] = [];
  for (const e of entries) {
    const k = `${e.transactionId}|${e.currency}`;
    perTx.set(k, (perTx.get(k) ?? new Dec(0)).plus(e.amount));
    if (!txOrder.includes(e.transactionId)) txOrder.push(e.transactionId);
  }
  for (const [k, sum] of perTx) if (!sum.isZero()) v.push(`ledger transaction ${k} sums to ${sum.toFixed()}, expected 0`);
  for (const txId of txOrder) {
    for (const e of entries.filter((x) => x.transactionId === txId)) {
      const k = `${e.account}|${e.currency}`;
      balance.set(k, (balance.get(k) ?? new Dec(0)).plus(e.amount));
    }
    for (const [k, b] of balance) if ((k.startsWith('cash|') || k.startsWith('reserved:')) && b.isNegative()) v.push(`ledger: ${k} is ${b.toFixed()} after transaction ${txId}`);
  }
  for (const r of rows) {
    const held = balance.get(`reserved:${r.clientOrderId}|USDT`) ?? new Dec(0);
    if (isTerminal(r.status) && !held.isZero()) v.push(`order ${r.clientOrderId} is ${r.status} but still holds a reservation of ${held.toFixed()} USDT`);
  }
  // The position is the signed sum of the fills, and its cost is what the ledger holds for it.
  const signed = fillRows.reduce((s, x) => (x.side === 'buy' ? s.plus(x.quantity) : s.minus(x.quantity)), new Dec(0));
  const qty = new Dec(position?.quantity ?? '0');
  if (!qty.equals(signed)) v.push(`position ${qty.toFixed()} ≠ signed Σ fills ${signed.toFixed()}`);
  const ledgerCost = balance.get(`position:${SYMBOL}|USDT`) ?? new Dec(0);
  if (!ledgerCost.equals(position?.cost ?? '0')) v.push(`position cost ${position?.cost ?? '0'} ≠ ledger position:${SYMBOL} ${ledgerCost.toFixed()}`);
  return v;
}
