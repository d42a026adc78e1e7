import { eq, orders, profiles, rowsOf, sql, type Tx } from '@kestrel/db';
import { compareTradeIds } from '@kestrel/exchanges';
import type { VenueOrder } from '../venue.ts';

/** The greater of two trade ids by compareTradeIds (numeric ids numerically); null counts as "none". */
export function maxTradeId(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareTradeIds(a, b) >= 0 ? a : b;
}

/** Symbols to ask trades for: every symbol the account has orders or profiles in, and the venue's open ones. */
export async function tradeSymbols(tx: Tx, accountId: string, venueOpen: readonly VenueOrder[]): Promise<string[]> {
  const rows = [
    ...(await tx.selectDistinct({ symbol: orders.symbol }).from(orders).where(eq(orders.exchangeAccountId, accountId))),
    ...(await tx.selectDistinct({ symbol: profiles.symbol }).from(profiles).where(eq(profiles.exchangeAccountId, accountId))),
  ];
  return [...new Set([...rows.map((r) => r.symbol), ...venueOpen.map((o) => o.symbol)])].sort();
}

/**
 * The greatest trade id booked for this account, venue and symbol. The database narrows it to one
 * candidate of each shape (digit strings by length then digits, others by byte order), and
 * compareTradeIds picks between them, so a mixed history still yields the venue's order.
 */
export async function lastBookedTradeId(tx: Tx, accountId: string, venue: string, symbol: string): Promise<string | null> {
  const rows = rowsOf<{ trade_id: string }>(
    await tx.execute(sql`
      (select f.trade_id from fills f join orders o on o.id = f.order_id
        where f.exchange_account_id = ${accountId} and f.venue = ${venue} and o.symbol = ${symbol} and f.trade_id ~ '^[0-9]+$'
        order by length(ltrim(f.trade_id, '0')) desc, ltrim(f.trade_id, '0') collate "C" desc limit 1)
      union all
      (select f.trade_id from fills f join orders o on o.id = f.order_id
        where f.exchange_account_id = ${accountId} and f.venue = ${venue} and o.symbol = ${symbol} and f.trade_id !~ '^[0-9]+$'
        order by f.trade_id collate "C" desc limit 1)`),
  );
  return rows.map((r) => r.trade_id).reduce<string | null>(maxTradeId, null);
}
