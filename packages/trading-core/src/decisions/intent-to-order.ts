import { decFromNumber, decToString, isPositiveDec, minDec, type Dec } from '../decimal/dec.ts';
import { roundPrice, roundQty, type Instrument } from '../instruments/instrument.ts';
import type { OrderRequest, OrderSide } from '../orders/order-types.ts';
import type { EnterIntent, ExitIntent, PlaceOrderIntent } from '../strategy/intent.ts';
import type { Denial } from './denial.ts';

export interface IntentOrderContext {
  readonly clientOrderId: string;
  readonly profileId: string;
  readonly tenantId: string;
  readonly instrument: Instrument;
  readonly positionQty: Dec;
  readonly lastPrice: Dec | null;
  /** Quote amount an `enter` without a quantity is sized to. */
  readonly stake?: Dec | null;
}

export type IntentOrder =
  | { readonly kind: 'order'; readonly order: OrderRequest }
  | { readonly kind: 'denied'; readonly denial: Denial }
  | { readonly kind: 'skipped'; readonly reason: string };

const invalid = (reason: string): IntentOrder => ({ kind: 'denied', denial: { stage: 'order', code: 'ORDER_INVALID_SPEC', reason } });

function toDec(v: number | Dec | undefined): Dec | null | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? decFromNumber(v) : v.isFinite() ? v : null;
}

/**
 * Turns a strategy's intent into an exact order: floats become decimals, prices are rounded to
 * the tick (a buy's limit down, a sell's up: never worse than asked), quantities down to the lot;
 * exits take the side opposite the position and at most its size, and are reduce-only; an entry
 * without a quantity is sized as stake / price.
 */
export function orderFromIntent(intent: EnterIntent | ExitIntent | PlaceOrderIntent, ctx: IntentOrderContext): IntentOrder {
  const { instrument, positionQty } = ctx;
  let side: OrderSide;
  if (intent.kind === 'exit') {
    if (positionQty.isZero()) return { kind: 'skipped', reason: 'no position to exit' };
    side = positionQty.isNegative() ? 'buy' : 'sell';
  } else {
    side = intent.side;
  }
  const rawPrice = toDec(intent.price);
  const rawStop = toDec(intent.stopPrice);
  const rawQty = toDec(intent.quantity);
  if (rawPrice === null || rawStop === null || rawQty === null) return invalid('price, stop price and quantity must be finite numbers');
  const price = rawPrice === undefined ? null : roundPrice(instrument, rawPrice, side === 'buy' ? 'down' : 'up');
  const stopPrice = rawStop === undefined ? null : roundPrice(instrument, rawStop);

  let qty: Dec;
  if (intent.kind === 'exit') {
    qty = rawQty === undefined ? positionQty.abs() : minDec(rawQty, positionQty.abs());
  } else if (rawQty !== undefined) {
    qty = rawQty;
  } else {
    const stake = ctx.stake ?? null;
    const ref = price ?? stopPrice ?? ctx.lastPrice;
    if (stake === null) return invalid('an entry without a quantity needs a stake to size it');
    if (ref === null) return invalid('no price to size the entry with');
    qty = stake.dividedBy(ref);
  }
  const rounded = roundQty(instrument, qty);
  if (!isPositiveDec(rounded)) {
    return {
      kind: 'denied',
      denial: {
        stage: 'instrument',
        code: 'INSTRUMENT_MIN_QTY',
        reason: `quantity ${decToString(qty)} rounds down to 0 at lot size ${decToString(instrument.lotSize)}`,
      },
    };
  }
  return {
    kind: 'order',
    order: {
      clientOrderId: ctx.clientOrderId,
      profileId: ctx.profileId,
      tenantId: ctx.tenantId,
      symbol: instrument.symbol,
      side,
      orderType: intent.orderType,
      timeInForce: intent.timeInForce ?? (intent.orderType === 'market' ? 'IOC' : 'GTC'),
      quantity: rounded,
      price,
      stopPrice,
      reduceOnly: intent.kind === 'exit' || (intent.kind === 'order' && intent.reduceOnly === true),
    },
  };
}
