import { Dec, Ledger, openingTx, type AccountBalance, type LedgerTransaction } from '@kestrel/trading-core';
import { ledgerEntries, ledgerTransactions, rowsOf, sql, type Tx } from '@kestrel/db';

/**
 * The profile's double-entry ledger in the database (ledger_transactions + ledger_entries, both
 * append-only; the database refuses an unbalanced transaction at commit). trading-core's `Ledger`
 * validates and plans postings: `loadLedger` rebuilds it from the stored balances as one opening
 * transaction, so reservations and fills are checked against what is committed.
 */
export async function storedBalances(tx: Tx, profileId: string): Promise<AccountBalance[]> {
  const rows = rowsOf<{ account: string; currency: string; balance: string }>(
    // Running balances (migration 0005: a trigger keeps them equal to the sum of the entries).
    await tx.execute(sql`select account, currency, balance::text as balance from ledger_balances
      where profile_id = ${profileId} and balance <> 0 order by currency, account`),
  );
  return rows.map((r) => ({ account: r.account, currency: r.currency, balance: new Dec(r.balance) }));
}

export async function loadLedger(tx: Tx, profileId: string): Promise<Ledger> {
  return ledgerFrom(profileId, await storedBalances(tx, profileId));
}

/** The ledgers of many profiles from one read. */
export async function loadLedgers(tx: Tx, profileIds: readonly string[]): Promise<Map<string, Ledger>> {
  const rows = rowsOf<{ profile_id: string; account: string; currency: string; balance: string }>(
    await tx.execute(sql`select profile_id, account, currency, balance::text as balance from ledger_balances
      where profile_id in (${sql.join(profileIds.map((id) => sql`${id}`), sql`, `)}) and balance <> 0 order by profile_id, currency, account`),
  );
  const by = new Map<string, AccountBalance[]>(profileIds.map((id) => [id, []]));
  for (const r of rows) by.get(r.profile_id)?.push({ account: r.account as AccountBalance['account'], currency: r.currency, balance: new Dec(r.balance) });
  return new Map([...by].map(([id, balances]) => [id, ledgerFrom(id, balances)]));
}

function ledgerFrom(profileId: string, balances: AccountBalance[]): Ledger {
  const ledger = new Ledger(profileId);
  if (balances.length === 0) return ledger;
  const opening = openingTx(ledger, { id: 'opening', at: 0, balances });
  if (!opening.ok) throw new Error(`ledger of profile ${profileId} cannot be loaded: ${opening.error.message}`);
  const posted = ledger.post(opening.value);
  if (!posted.ok) throw new Error(`ledger of profile ${profileId} is not sound: ${posted.error.message}`);
  return ledger;
}

/**
 * Writes a ledger transaction and its entries. The id is trading-core's deterministic ledgerTxId,
 * so a second posting of the same fact is recognised (returns false) and books nothing.
 */
export async function insertLedgerTx(tx: Tx, tenantId: string, t: LedgerTransaction): Promise<boolean> {
  const inserted = await tx
    .insert(ledgerTransactions)
    .values({ profileId: t.profileId, id: t.id, tenantId, kind: t.kind, ref: t.tradeId ?? t.clientOrderId ?? null, memo: t.memo ?? null, at: new Date(t.at) })
    .onConflictDoNothing()
    .returning({ id: ledgerTransactions.id });
  if (inserted.length === 0) return false;
  await tx.insert(ledgerEntries).values(
    t.entries.map((e) => ({ tenantId, profileId: t.profileId, transactionId: t.id, account: e.account, currency: e.currency, amount: e.amount.toFixed() })),
  );
  return true;
}

/**
 * Many ledger transactions in two statements (kill-switch releases). Same rule as insertLedgerTx:
 * a transaction whose id is already booked books nothing, its entries included.
 */
export async function insertLedgerTxs(tx: Tx, tenantId: string, list: readonly LedgerTransaction[]): Promise<number> {
  if (list.length === 0) return 0;
  const inserted = await tx
    .insert(ledgerTransactions)
    .values(list.map((t) => ({ profileId: t.profileId, id: t.id, tenantId, kind: t.kind, ref: t.tradeId ?? t.clientOrderId ?? null, memo: t.memo ?? null, at: new Date(t.at) })))
    .onConflictDoNothing()
    .returning({ profileId: ledgerTransactions.profileId, id: ledgerTransactions.id });
  const fresh = new Set(inserted.map((r) => `${r.profileId}|${r.id}`));
  const entries = list
    .filter((t) => fresh.has(`${t.profileId}|${t.id}`))
    .flatMap((t) => t.entries.map((e) => ({ tenantId, profileId: t.profileId, transactionId: t.id, account: e.account, currency: e.currency, amount: e.amount.toFixed() })));
  if (entries.length > 0) await tx.insert(ledgerEntries).values(entries);
  return inserted.length;
}
