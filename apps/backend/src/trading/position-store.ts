import { and, eq, positions, sql, type Tx } from '@kestrel/db';
import { Dec, ZERO, type Position } from '@kestrel/trading-core';

type Row = typeof positions.$inferSelect;

/** The stored netting position (fees kept in the quote currency; other-currency fees are in the fills and the ledger). */
export async function lockPosition(tx: Tx, tenantId: string, profileId: string, symbol: string): Promise<Position> {
  const [row] = await tx.select().from(positions).where(and(eq(positions.profileId, profileId), eq(positions.symbol, symbol))).for('update');
  const [base = '', quote = ''] = symbol.split('/');
  if (!row) {
    return { profileId, symbol, base, quote, quantity: ZERO, costBasis: ZERO, avgEntryPrice: null, realizedPnl: ZERO, fees: [], roundTripRealizedPnl: ZERO, roundTripFees: ZERO, openedAt: null, updatedAt: 0 };
  }
  void tenantId;
  return fromRow(row, base, quote);
}

function fromRow(r: Row, base: string, quote: string): Position {
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
