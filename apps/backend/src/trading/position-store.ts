import { and, eq, positions, sql, type Tx } from '@kestrel/db';
import { Dec, ZERO, type Position } from '@kestrel/trading-core';

type Row = typeof positions.$inferSelect;

/**
 * The stored netting position, locked for the rest of the transaction (fees kept in the quote
 * currency; other-currency fees are in the fills and the ledger). Flat when there is no row.
 */
export async function lockPosition(tx: Tx, tenantId: string, profileId: string, symbol: string): Promise<Position> {
  const [row] = await selectForUpdate(tx, profileId, symbol);
  return row ? fromRow(row, symbol) : flat(profileId, symbol);
}

/**
 * The position a fill is about to change, locked. A profile's first fills have no row to lock: two
 * transactions booking them at once would both start from flat, and the second write would erase
 * the first fill's change (seen when database connections were cut while fills arrived). So a
 * missing row is first created flat (`on conflict do nothing` makes a concurrent creator wait for
 * the other's commit) and then locked: every booking starts from the previous one's result.
 */
export async function lockPositionForFill(tx: Tx, tenantId: string, profileId: string, symbol: string): Promise<Position> {
  let [row] = await selectForUpdate(tx, profileId, symbol);
  if (!row) {
    await tx.insert(positions).values({ profileId, symbol, tenantId, updatedAt: new Date(0) }).onConflictDoNothing();
    [row] = await selectForUpdate(tx, profileId, symbol);
  }
  return row ? fromRow(row, symbol) : flat(profileId, symbol);
}

function selectForUpdate(tx: Tx, profileId: string, symbol: string) {
  return tx.select().from(positions).where(and(eq(positions.profileId, profileId), eq(positions.symbol, symbol))).for('update');
}

function flat(profileId: string, symbol: string): Position {
  const [base = '', quote = ''] = symbol.split('/');
  return { profileId, symbol, base, quote, quantity: ZERO, costBasis: ZERO, avgEntryPrice: null, realizedPnl: ZERO, fees: [], roundTripRealizedPnl: ZERO, roundTripFees: ZERO, openedAt: null, updatedAt: 0 };
}

function fromRow(r: Row, symbol: string): Position {
  const [base = '', quote = ''] = symbol.split('/');
  const fees = new Dec(r.fees);
  return {
    profileId: r.profileId,
    symbol: r.symbol,
    base,
    quote,
    quantity: new Dec(r.quantity),
    costBasis: new Dec(r.cost),
    avgEntryPrice: r.avgEntryPrice === null ? null : new Dec(r.avgEntryPrice),
    realizedPnl: new Dec(r.realizedPnl),
    fees: fees.isZero() ? [] : [{ currency: quote, amount: fees }],
    roundTripRealizedPnl: new Dec(r.roundTripRealizedPnl),
    roundTripFees: new Dec(r.roundTripFees),
    openedAt: r.openedAt === null ? null : r.openedAt.getTime(),
    updatedAt: r.updatedAt.getTime(),
  };
}

export async function storePosition(tx: Tx, tenantId: string, p: Position): Promise<void> {
  const quoteFees = p.fees.find((f) => f.currency === p.quote)?.amount ?? ZERO;
  const values = {
    quantity: p.quantity.toFixed(),
    avgEntryPrice: p.avgEntryPrice === null ? null : p.avgEntryPrice.toDecimalPlaces(18).toFixed(),
    cost: p.costBasis.toFixed(),
    realizedPnl: p.realizedPnl.toFixed(),
    fees: quoteFees.toFixed(),
    roundTripRealizedPnl: p.roundTripRealizedPnl.toFixed(),
    roundTripFees: p.roundTripFees.toFixed(),
    openedAt: p.openedAt === null ? null : new Date(p.openedAt),
    updatedAt: new Date(p.updatedAt),
  };
  await tx
    .insert(positions)
    .values({ profileId: p.profileId, symbol: p.symbol, tenantId, ...values })
    .onConflictDoUpdate({ target: [positions.profileId, positions.symbol], set: { ...values, version: sql`${positions.version} + 1` } });
}
