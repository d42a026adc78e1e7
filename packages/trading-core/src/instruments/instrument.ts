import type Decimal from 'decimal.js';
import { Dec, decimalStepPlaces, parseDec, type Dec as DecT } from '../decimal/dec.ts';
import { err, ok, type Result } from '../errors/codes.ts';

/**
 * A tradable instrument as the venue defines it. Every order quantity is a multiple of `lotSize`
 * and every price a multiple of `tickSize`; `pricePrecision`/`qtyPrecision` are the decimal places
 * the venue shows (derived from tick and lot size unless given).
 */
export interface Instrument {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: DecT;
  readonly lotSize: DecT;
  readonly minQty: DecT;
  readonly maxQty: DecT | null;
  readonly minNotional: DecT;
  readonly pricePrecision: number;
  readonly qtyPrecision: number;
  /** false for spot: a sell may not exceed the position held. */
  readonly allowShort: boolean;
}

/** The instrument as it arrives from configuration or a venue: decimals as strings. */
export interface InstrumentSpec {
  symbol: string;
  base: string;
  quote: string;
  tickSize: string;
  lotSize: string;
  minQty?: string;
  maxQty?: string;
  minNotional?: string;
  pricePrecision?: number;
  qtyPrecision?: number;
  allowShort?: boolean;
}

export function createInstrument(spec: InstrumentSpec): Result<Instrument> {
  if (!spec.symbol || !spec.base || !spec.quote) return err('INSTRUMENT_INVALID', 'symbol, base and quote are required');
  const tick = parseDec(spec.tickSize, { sign: 'positive', field: 'tickSize' });
  if (!tick.ok) return tick;
  const lot = parseDec(spec.lotSize, { sign: 'positive', field: 'lotSize' });
  if (!lot.ok) return lot;
  const minQty = parseDec(spec.minQty ?? spec.lotSize, { sign: 'nonNegative', field: 'minQty' });
  if (!minQty.ok) return minQty;
  const minNotional = parseDec(spec.minNotional ?? '0', { sign: 'nonNegative', field: 'minNotional' });
  if (!minNotional.ok) return minNotional;
  let maxQty: DecT | null = null;
  if (spec.maxQty !== undefined) {
    const parsed = parseDec(spec.maxQty, { sign: 'positive', field: 'maxQty' });
    if (!parsed.ok) return parsed;
    maxQty = parsed.value;
  }
  const pricePrecision = spec.pricePrecision ?? tick.value.decimalPlaces();
  const qtyPrecision = spec.qtyPrecision ?? lot.value.decimalPlaces();
  if (!Number.isInteger(pricePrecision) || pricePrecision < 0 || !Number.isInteger(qtyPrecision) || qtyPrecision < 0) {
    return err('INSTRUMENT_INVALID', 'pricePrecision and qtyPrecision must be non-negative integers');
  }
  return ok({
    symbol: spec.symbol,
    base: spec.base,
    quote: spec.quote,
    tickSize: tick.value,
    lotSize: lot.value,
    minQty: minQty.value,
    maxQty,
    minNotional: minNotional.value,
    pricePrecision,
    qtyPrecision,
    allowShort: spec.allowShort ?? false,
  });
}

export type PriceRounding = 'nearest' | 'down' | 'up';

/**
 * Rounds a price to a multiple of the tick size. `nearest` rounds half to even; a buyer who must
 * not pay more rounds `down`, a seller who must not get less rounds `up`.
 */
export function roundPrice(instrument: Instrument, price: DecT, mode: PriceRounding = 'nearest'): DecT {
  const rounding = mode === 'down' ? Dec.ROUND_FLOOR : mode === 'up' ? Dec.ROUND_CEIL : Dec.ROUND_HALF_EVEN;
  return roundToStep(price, instrument.tickSize, rounding);
}

/** Rounds a quantity down to a multiple of the lot size (never orders more than asked). */
export function roundQty(instrument: Instrument, qty: DecT): DecT {
  return roundToStep(qty, instrument.lotSize, Dec.ROUND_DOWN);
}

/**
 * value / step rounded to an integer, times step. For a step of 10^−k (the usual tick and lot
 * sizes) that is rounding to k decimal places, with no division: the same value, as long as the
 * division would have been exact (at most `precision` significant digits).
 */
function roundToStep(value: DecT, step: DecT, rounding: Decimal.Rounding): DecT {
  const k = decimalStepPlaces(step);
  if (k >= 0 && value.isFinite() && value.precision() <= PRECISION) return value.toDecimalPlaces(k, rounding);
  return value.dividedBy(step).toDecimalPlaces(0, rounding).times(step);
}

const PRECISION = Dec.precision;

export function isMultipleOf(value: DecT, step: DecT): boolean {
  const k = decimalStepPlaces(step);
  // A multiple of 10^−k is a value with at most k decimal places (NaN and ±Infinity are none).
  if (k >= 0 && (!value.isFinite() || value.precision() <= PRECISION)) return value.isFinite() && value.decimalPlaces() <= k;
  return value.modulo(step).isZero();
}
