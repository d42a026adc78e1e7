import { z } from 'zod';

/**
 * Exact decimals on the wire: plain decimal strings ("0.015", never 1.5e-2 or a JSON number), at
 * most 24 digits before and after the dot — the same rule as trading-core's `parseDec`.
 */
const PLAIN = /^-?\d{1,24}(\.\d{1,24})?$/;
export const decimalStringSchema = z.string().regex(PLAIN, 'a plain decimal string such as "12.5" (no exponent, at most 24 digits each side of the dot)');
export const nonNegativeDecimalSchema = decimalStringSchema.refine((v) => !v.startsWith('-'), 'must not be negative');
export const positiveDecimalSchema = decimalStringSchema.refine((v) => !v.startsWith('-') && /[1-9]/.test(v), 'must be greater than zero');
export const currencyCodeSchema = z.string().regex(/^[A-Z0-9]{2,12}$/, 'a currency code such as USDT');
export const symbolSchema = z.string().regex(/^[A-Z0-9]{2,12}\/[A-Z0-9]{2,12}$/, 'a symbol such as BTC/USDT');
