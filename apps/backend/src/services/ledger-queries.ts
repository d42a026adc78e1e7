import { AppError } from '@kestrel/contracts';
import { and, desc, eq, isNull, ledgerEntries, ledgerTransactions, lt, positions, profiles, type Database } from '@kestrel/db';
import { Dec } from '@kestrel/trading-core';
import { storedBalances } from '../trading/ledger-store.ts';

/** Read side of positions and the ledger, tenant-scoped (row-level security and an explicit tenant filter). */
export class LedgerQueries {
  constructor(private readonly database: Database) {}

  async positions(tenantId: string, profileId?: string) {
    const rows = await this.database.withTenant({ tenantId }, (tx) =>
      tx.select().from(positions).where(and(eq(positions.tenantId, tenantId), profileId ? eq(positions.profileId, profileId) : undefined)).orderBy(positions.profileId, positions.symbol),
    );
    return {
      items: rows.map((p) => ({
        profileId: p.profileId,
        symbol: p.symbol,
        quantity: new Dec(p.quantity).toFixed(),
        avgEntryPrice: p.avgEntryPrice === null ? null : new Dec(p.avgEntryPrice).toFixed(),
        cost: new Dec(p.cost).toFixed(),
        realizedPnl: new Dec(p.realizedPnl).toFixed(),
        fees: new Dec(p.fees).toFixed(),
        openedAt: p.openedAt?.toISOString() ?? null,
        updatedAt: p.updatedAt.toISOString(),
      })),
    };
  }

  async balances(tenantId: string, profileId: string) {
    return this.database.withTenant({ tenantId }, async (tx) => {
      await this.#own(tx, tenantId, profileId);
      const balances = await storedBalances(tx, profileId);
      const freeCapital: Record<string, string> = {};
      for (const b of balances) if (b.account === 'cash') freeCapital[b.currency] = b.balance.toFixed();
      return { profileId, balances: balances.map((b) => ({ account: b.account, currency: b.currency, balance: b.balance.toFixed() })), freeCapital };
    });
  }

  async entries(tenantId: string, q: { profileId: string; account?: string | undefined; limit: number; cursor?: string | undefined }) {
    return this.database.withTenant({ tenantId }, async (tx) => {
      await this.#own(tx, tenantId, q.profileId);
      const rows = await tx
        .select({ id: ledgerEntries.id, transactionId: ledgerEntries.transactionId, account: ledgerEntries.account, currency: ledgerEntries.currency, amount: ledgerEntries.amount, kind: ledgerTransactions.kind, at: ledgerTransactions.at })
        .from(ledgerEntries)
        .innerJoin(ledgerTransactions, and(eq(ledgerTransactions.profileId, ledgerEntries.profileId), eq(ledgerTransactions.id, ledgerEntries.transactionId)))
        .where(and(eq(ledgerEntries.profileId, q.profileId), q.account ? eq(ledgerEntries.account, q.account) : undefined, q.cursor ? lt(ledgerEntries.id, Number(q.cursor)) : undefined))
        .orderBy(desc(ledgerEntries.id))
        .limit(q.limit + 1);
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((r) => ({ id: String(r.id), transactionId: r.transactionId, kind: r.kind, account: r.account, currency: r.currency, amount: new Dec(r.amount).toFixed(), at: r.at.toISOString() })),
        nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
      };
    });
  }

  async #own(tx: Parameters<Parameters<Database['withTenant']>[1]>[0], tenantId: string, profileId: string) {
    const [p] = await tx.select({ id: profiles.id }).from(profiles).where(and(eq(profiles.tenantId, tenantId), eq(profiles.id, profileId), isNull(profiles.deletedAt)));
    if (!p) throw new AppError('NOT_FOUND', 'No such profile.');
  }
}
