import { fills, type Tx } from '@kestrel/db';
import { applyFillToPosition, Dec, fillTx, isTerminal, ledgerTxId, releaseTx, type OrderEvent, type TransitionSource } from '@kestrel/trading-core';
import { insertLedgerTx, loadLedger } from './ledger-store.ts';
import { applyAndStore, type OrderRow } from './order-store.ts';
import { lockPositionForFill, storePosition } from './position-store.ts';
import type { VenueOrder, VenueTrade } from './venue.ts';

export type TradeOutcome = 'applied' | 'duplicate' | 'refused';

/** Releases what is left of a finished order's reservation (a no-op when nothing is held). */
export async function releaseIfDone(tx: Tx, row: OrderRow): Promise<void> {
  if (!isTerminal(row.status) || row.profileId === null) return;
  const ledger = await loadLedger(tx, row.profileId);
  const quote = row.symbol.split('/')[1] ?? '';
  const built = releaseTx(ledger, { id: ledgerTxId.release(row.clientOrderId), at: row.updatedAt.getTime(), clientOrderId: row.clientOrderId, currency: quote });
  if (built.ok && built.value !== null) await insertLedgerTx(tx, row.tenantId, built.value);
}

/** Before any venue news, an order still `new` (sent, outcome not yet recorded) becomes `submitted`. */
async function ensureSubmitted(tx: Tx, row: OrderRow, at: number, source: TransitionSource): Promise<OrderRow> {
  if (row.status !== 'new') return row;
  const r = await applyAndStore(tx, row, { type: 'OrderSubmitted', at, clientOrderId: row.clientOrderId, source, reason: 'the venue reported the order before its submit outcome was recorded' });
  return r.row;
}

/**
 * Takes the venue's word on an order's status (the answer to a submit, a lookup, a cancel or a
 * stream update). Fills are never booked from here: they come from trades (`applyVenueTrade`),
 * which carry the trade id that deduplicates them. Returns the stored order.
 */
export async function applyVenueOrder(tx: Tx, row: OrderRow, vo: VenueOrder, source: TransitionSource, reason?: string): Promise<OrderRow> {
  const at = Math.max(vo.updatedAt, row.updatedAt.getTime());
  let current = await ensureSubmitted(tx, row, at, source);
  const base = { at, clientOrderId: row.clientOrderId, source, ...(reason ? { reason } : {}) };
  const events: OrderEvent[] = [];
  if (current.status === 'submitted' || current.venueOrderId === null) events.push({ ...base, type: 'OrderAccepted', venueOrderId: vo.venueOrderId });
  if (vo.status === 'cancelled') events.push({ ...base, type: 'OrderCancelled', ...(vo.reason ? { reason: vo.reason } : {}) });
  if (vo.status === 'expired') events.push({ ...base, type: 'OrderExpired', ...(vo.reason ? { reason: vo.reason } : {}) });
  if (vo.status === 'rejected') events.push({ ...base, type: 'OrderRejected', reason: vo.reason ?? 'rejected by the venue' });
  for (const e of events) {
    if (isTerminal(current.status)) break;
    // A rejection after acceptance is not a legal step: the accept is skipped for venue-rejected orders.
    if (e.type === 'OrderAccepted' && vo.status === 'rejected') continue;
    const r = await applyAndStore(tx, current, e);
    current = r.row;
  }
  // Filled/partially filled statuses follow from the trades; a finished order gives back its reservation.
  await releaseIfDone(tx, current);
  return current;
}

/**
 * One venue trade, booked in the caller's transaction: the fill row (a repeat of (account, venue,
 * trade id) is a no-op), the order through the state machine, the position, the ledger fill
 * posting, and the release of the reservation once the order is finished. An overfill or an
 * illegal transition is refused by trading-core and the caller rolls back, so nothing is half booked.
 */
export async function applyVenueTrade(tx: Tx, row: OrderRow, venue: string, trade: VenueTrade): Promise<{ outcome: TradeOutcome; row: OrderRow; message?: string }> {
  const inserted = await tx
    .insert(fills)
    .values({
      tenantId: row.tenantId,
      orderId: row.id,
      profileId: row.profileId,
      exchangeAccountId: row.exchangeAccountId,
      venue,
      tradeId: trade.tradeId,
      side: trade.side,
      quantity: trade.quantity,
      price: trade.price,
      fee: trade.fee,
      feeCurrency: trade.feeCurrency,
      liquidity: trade.liquidity,
      at: new Date(trade.timestamp),
    })
    .onConflictDoNothing()
    .returning({ id: fills.id });
  if (inserted.length === 0) return { outcome: 'duplicate', row };
  const current = await ensureSubmitted(tx, row, trade.timestamp, 'exchange');
  const fill = { tradeId: trade.tradeId, venue, qty: new Dec(trade.quantity), price: new Dec(trade.price), fee: new Dec(trade.fee), feeCurrency: trade.feeCurrency, liquidity: trade.liquidity, at: trade.timestamp };
  const applied = await applyAndStore(tx, current, { type: 'OrderFilled', at: trade.timestamp, clientOrderId: row.clientOrderId, source: 'exchange', fill, venueOrderId: trade.venueOrderId });
  if (!applied.ok) return { outcome: 'refused', row, message: `${applied.code}: ${applied.message}` };
  if (row.profileId !== null) {
    const position = await lockPositionForFill(tx, row.tenantId, row.profileId, row.symbol);
    const moved = applyFillToPosition(position, { side: row.side, qty: fill.qty, price: fill.price, fee: fill.fee, feeCurrency: fill.feeCurrency, at: fill.at, tradeId: fill.tradeId });
    await storePosition(tx, row.tenantId, moved.position);
    const ledger = await loadLedger(tx, row.profileId);
    const built = fillTx(ledger, {
      id: ledgerTxId.fill(venue, trade.tradeId),
      at: fill.at,
      clientOrderId: row.clientOrderId,
      tradeId: trade.tradeId,
      symbol: row.symbol,
      quote: position.quote,
      side: row.side,
      qty: fill.qty,
      price: fill.price,
      fee: fill.fee,
      feeCurrency: fill.feeCurrency,
      costDelta: moved.costDelta,
      realizedPnl: moved.realizedPnl,
    });
    if (!built.ok) throw new Error(`fill ${trade.tradeId} cannot be booked: ${built.error.message}`);
    // A fill is a fact at the venue: it is booked even if it overdraws free cash (the database only requires balance).
    await insertLedgerTx(tx, row.tenantId, built.value);
  }
  await releaseIfDone(tx, applied.row);
  return { outcome: 'applied', row: applied.row };
}
