import { z } from 'zod';
import { uuidSchema } from './auth.ts';
import { positionSchema } from './orders.ts';

/**
 * Profit and loss, from the profile's double-entry ledger and its positions marked at the market's
 * last price. Amounts are decimal strings in the quote currency:
 * - `realized`: gross P&L of closed quantity; `fees`: fees paid; `unrealized`: open quantity × mark − cost;
 * - `net` = realized + unrealized − fees; `equity` = net deposits + adjustments + net (cash, held
 *   cash and positions at the mark).
 * A position without a fresh mark says so (`stale: true`); without any mark it is valued at cost.
 */

export const pnlQuerySchema = z
  .object({ days: z.coerce.number().int().min(1, 'days is at least 1').max(366, 'days is at most 366').default(30).describe('UTC days of per-day rows, today included') })
  .strict();

export const valuedPositionSchema = positionSchema
  .extend({
    currency: z.string().describe('quote currency of the amounts'),
    markPrice: z.string().nullable().describe("the market's last price; null when there is none"),
    markTime: z.string().nullable(),
    stale: z.boolean().describe('true when the mark is older than the staleness threshold, or missing'),
    unrealizedPnl: z.string().describe('quantity × mark − cost (0 when flat or without a mark)'),
    marketValue: z.string().describe('quantity × mark (signed; the cost when there is no mark)'),
  })
  .meta({ id: 'ValuedPosition' });
export type ValuedPosition = z.infer<typeof valuedPositionSchema>;

export const pnlDaySchema = z.object({ day: z.string().describe('UTC date, YYYY-MM-DD'), realized: z.string(), fees: z.string(), net: z.string().describe('realized − fees') }).meta({ id: 'PnlDay' });

const totals = {
  currency: z.string(),
  realized: z.string(),
  unrealized: z.string(),
  fees: z.string(),
  net: z.string(),
  equity: z.string(),
  netDeposits: z.string().describe('deposits − withdrawals (the capital allocated)'),
};

/** Pushed as `pnl.update` after each booked fill (no per-day rows). */
export const profilePnlSummarySchema = z
  .object({
    profileId: uuidSchema,
    symbol: z.string(),
    ...totals,
    markPrice: z.string().nullable().describe("the profile symbol's mark"),
    markTime: z.string().nullable(),
    stale: z.boolean().describe('true when a mark used here is older than the threshold or missing'),
    positions: z.array(valuedPositionSchema),
    asOf: z.string(),
  })
  .meta({ id: 'ProfilePnlSummary' });
export type ProfilePnlSummary = z.infer<typeof profilePnlSummarySchema>;

export const profilePnlSchema = profilePnlSummarySchema.extend({ days: z.array(pnlDaySchema).describe('one row per UTC day of the window, oldest first; zeros on days without activity') }).meta({ id: 'ProfilePnl' });
export type ProfilePnl = z.infer<typeof profilePnlSchema>;

export const tenantPnlSchema = z
  .object({
    currencies: z.array(z.object({ ...totals, stale: z.boolean(), profiles: z.number().int() })).describe('all profiles summed per quote currency'),
    days: z.array(pnlDaySchema.extend({ currency: z.string() })).describe('per UTC day and currency, oldest first'),
    profiles: z.array(profilePnlSummarySchema),
    asOf: z.string(),
  })
  .meta({ id: 'TenantPnl' });
export type TenantPnl = z.infer<typeof tenantPnlSchema>;
