import { z } from 'zod';
import { ExchangeError } from '../exchange-error.ts';

/**
 * Schemas of everything an adapter hands out. Venue data is untrusted: NaN, negative or huge
 * numbers, exponent notation and missing fields are refused here, before any caller sees them.
 */

/** At most 18 digits before the dot (10^18 is far beyond any real price or quantity) and 24 after. */
const UNSIGNED = /^(?:0|[1-9]\d{0,17})(?:\.\d{1,24})?$/;
const SIGNED = /^-?(?:0|[1-9]\d{0,17})(?:\.\d{1,24})?$/;

export const decimalString = z.string().regex(UNSIGNED, 'a non-negative plain decimal string');
export const signedDecimalString = z.string().regex(SIGNED, 'a plain decimal string');
export const positiveDecimalString = decimalString.refine((s) => /[1-9]/.test(s), 'greater than zero');
export const epochMs = z.number().int().nonnegative().max(8.64e15);
const finiteNonNegative = z.number().nonnegative().max(1e18);
const text = z.string().min(1).max(200);

export const venueMarketSchema = z.object({
  symbol: text,
  base: text,
  quote: text,
  tickSize: positiveDecimalString,
  lotSize: positiveDecimalString,
  minQty: decimalString,
  minNotional: decimalString,
  active: z.boolean(),
});

export const venueTickerSchema = z.object({
  symbol: text,
  last: decimalString,
  bid: decimalString.nullable(),
  ask: decimalString.nullable(),
  time: epochMs,
});

export const venueCandleSchema = z
  .object({
    time: epochMs,
    open: finiteNonNegative,
    high: finiteNonNegative,
    low: finiteNonNegative,
    close: finiteNonNegative,
    volume: finiteNonNegative,
  })
  .refine((c) => c.low <= Math.min(c.open, c.close, c.high) && c.high >= Math.max(c.open, c.close), 'low ≤ open, close ≤ high');

const bookLevel = z.tuple([decimalString, decimalString]);
export const venueOrderBookSchema = z.object({
  symbol: text,
  bids: z.array(bookLevel),
  asks: z.array(bookLevel),
  time: epochMs,
});

export const venueBalanceSchema = z.object({ free: decimalString, locked: decimalString, total: decimalString });
export const venueBalancesSchema = z.record(z.string().min(1).max(40), venueBalanceSchema);

export const venueOrderSchema = z
  .object({
    venueOrderId: text,
    clientOrderId: text,
    symbol: text,
    side: z.enum(['buy', 'sell']),
    type: z.enum(['market', 'limit', 'stop', 'stop_limit']),
    status: z.enum(['open', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired']),
    quantity: positiveDecimalString,
    filledQuantity: decimalString,
    averagePrice: decimalString.nullable(),
    price: decimalString.optional(),
    stopPrice: decimalString.optional(),
    timeInForce: z.enum(['GTC', 'IOC', 'FOK']).optional(),
    createdAt: epochMs,
    updatedAt: epochMs,
    reason: z.string().max(500).optional(),
  })
  .refine((o) => Number(o.filledQuantity) <= Number(o.quantity), 'filledQuantity ≤ quantity');

export const venueTradeSchema = z.object({
  tradeId: text,
  venueOrderId: text,
  clientOrderId: text.nullable(),
  symbol: text,
  side: z.enum(['buy', 'sell']),
  quantity: positiveDecimalString,
  price: positiveDecimalString,
  fee: signedDecimalString,
  feeCurrency: text,
  liquidity: z.enum(['maker', 'taker']),
  timestamp: epochMs,
});

/**
 * Returns `value` typed by the schema, or throws MALFORMED_RESPONSE naming the first problem.
 * `ambiguous` is for writes: the venue may have acted even though its answer is unreadable.
 */
export function parseVenueData<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
  options: { venue?: string; ambiguous?: boolean } = {},
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return malformed(`${what}: ${issue?.message ?? 'invalid'}${where}`, options);
}

export function malformed(message: string, options: { venue?: string; ambiguous?: boolean } = {}): never {
  throw new ExchangeError('MALFORMED_RESPONSE', `malformed venue data: ${message}`, {
    ambiguous: options.ambiguous ?? false,
    ...(options.venue === undefined ? {} : { venue: options.venue }),
  });
}
