import { z } from 'zod';
import { uuidSchema } from './auth.ts';
import { nonNegativeDecimalSchema, positiveDecimalSchema, symbolSchema } from './decimal.ts';

/** Bar durations a profile can trade on (ccxt's spelling; second bars exist on e.g. Binance spot and on the replayed paper market). */
export const PROFILE_TIMEFRAMES = ['1s', '5s', '15s', '30s', '1m', '5m', '15m', '1h', '4h', '1d'] as const;
export const PROFILE_STATUSES = ['stopped', 'running', 'paused', 'halted'] as const;
export const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;

const timeZoneSchema = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
/** A fraction such as "0.05" (5 %). */
export const fractionSchema = z.string().regex(/^0(\.\d{1,12})?$|^1(\.0{1,12})?$/, 'a fraction between 0 and 1 as a decimal string, e.g. "0.05"');

/** Protections (trading-core rules) of a profile; each one is off when absent. */
export const profileRulesSchema = z
  .object({
    session: z
      .object({
        timeZone: timeZoneSchema,
        days: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional().describe('ISO weekdays, 1 = Monday; default Monday–Friday'),
        hours: z.array(z.object({ open: clockTime, close: clockTime }).strict()).min(1).max(8).optional(),
        holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(366).optional(),
        allowExitsOutside: z.boolean().optional(),
      })
      .strict()
      .optional(),
    cooldownAfterLossMinutes: z.number().int().min(1).max(10_080).optional(),
    maxTradesPerDay: z.number().int().min(1).max(100_000).optional(),
    maxOpenPositions: z.number().int().min(1).max(1_000).optional(),
  })
  .strict()
  .meta({ id: 'ProfileRules' });
export type ProfileRules = z.infer<typeof profileRulesSchema>;

/** Risk limits (trading-core RiskLimits) in the quote currency; each one is off when absent. */
export const riskLimitsSchema = z
  .object({
    maxOrderNotional: positiveDecimalSchema.optional(),
    maxPositionNotional: positiveDecimalSchema.optional(),
    maxDailyLoss: positiveDecimalSchema.optional(),
    maxDrawdown: fractionSchema.optional(),
    priceBand: fractionSchema.optional().describe('±fraction around the last price for limit prices; also the slippage reserved for market buys'),
    orderRate: z.object({ maxOrders: z.number().int().min(1).max(10_000), windowMs: z.number().int().min(100).max(86_400_000) }).strict().optional(),
    feeRate: fractionSchema.optional().describe('reserved on top of a buy’s notional'),
  })
  .strict()
  .meta({ id: 'RiskLimits' });
export type RiskLimitsInput = z.infer<typeof riskLimitsSchema>;

export const createProfileRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    exchangeAccountId: uuidSchema,
    symbol: symbolSchema,
    timeframe: z.enum(PROFILE_TIMEFRAMES),
    strategy: z.string().min(1).max(64).describe('a strategy id, e.g. sma-cross'),
    strategyParams: z.record(z.string(), z.unknown()).default({}).describe("validated by the strategy's own schema"),
    rules: profileRulesSchema.default({}),
    riskLimits: riskLimitsSchema.default({}),
    capitalAllocation: nonNegativeDecimalSchema.describe('quote-currency capital the profile may trade with (decimal string)'),
    mode: z.enum(['paper', 'live']).default('paper').describe("must match the exchange account's kind"),
  })
  .strict()
  .meta({ id: 'CreateProfileRequest' });
export type CreateProfileRequest = z.infer<typeof createProfileRequestSchema>;

/** Fields not sent stay as they are. `version` (optional) refuses the update with 409 if the profile changed since it was read. */
export const updateProfileRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    timeframe: z.enum(PROFILE_TIMEFRAMES).optional(),
    strategy: z.string().min(1).max(64).optional(),
    strategyParams: z.record(z.string(), z.unknown()).optional(),
    rules: profileRulesSchema.optional(),
    riskLimits: riskLimitsSchema.optional(),
    capitalAllocation: nonNegativeDecimalSchema.optional(),
    version: z.number().int().positive().optional(),
  })
  .strict()
  .meta({ id: 'UpdateProfileRequest' });
export type UpdateProfileRequest = z.infer<typeof updateProfileRequestSchema>;

export const profileSchema = z
  .object({
    id: uuidSchema,
    name: z.string(),
    exchangeAccountId: uuidSchema,
    symbol: z.string(),
    timeframe: z.string(),
    strategy: z.string(),
    strategyParams: z.record(z.string(), z.unknown()),
    rules: profileRulesSchema,
    riskLimits: riskLimitsSchema,
    capitalAllocation: z.string(),
    quoteCurrency: z.string(),
    mode: z.enum(['paper', 'live']),
    status: z.enum(PROFILE_STATUSES),
    haltReason: z.string().nullable(),
    tradingState: z.enum(TRADING_STATES),
    decisionSeq: z.number().int(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Profile' });
export type Profile = z.infer<typeof profileSchema>;

export const profileListSchema = z.object({ items: z.array(profileSchema) }).meta({ id: 'ProfileList' });

export const profileActionRequestSchema = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict()
  .meta({ id: 'ProfileActionRequest' });

/** Pushed on /trading (tenant room and `profile:<id>`) whenever a profile's status or trading state changes. */
export const profileStateSchema = z
  .object({
    profileId: uuidSchema,
    status: z.enum(PROFILE_STATUSES),
    tradingState: z.enum(TRADING_STATES),
    haltReason: z.string().nullable(),
    version: z.number().int(),
    updatedAt: z.string(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'ProfileState' });
export type ProfileState = z.infer<typeof profileStateSchema>;
