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
    await tx.execute(sql`select account, currency, sum(amount)::text as balance from ledger_entries
      where profile_id = ${profileId} group by account, currency having sum(amount) <> 0 order by currency, account`),
  );
  return rows.map((r) => ({ account: r.account, currency: r.currency, balance: new Dec(r.balance) }));
}

export async function loadLedger(tx: Tx, profileId: string): Promise<Ledger> {
  const ledger = new Ledger(profileId);
  const balances = await storedBalances(tx, profileId);
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
