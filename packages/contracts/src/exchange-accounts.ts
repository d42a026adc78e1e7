import { z } from 'zod';
import { uuidSchema } from './auth.ts';
import { currencyCodeSchema, nonNegativeDecimalSchema } from './decimal.ts';

export const EXCHANGE_ACCOUNT_KINDS = ['paper', 'live'] as const;

/** Settings of a paper (simulated) account; everything optional. */
export const paperConfigSchema = z
  .object({
    balances: z.record(currencyCodeSchema, nonNegativeDecimalSchema).optional().describe('starting balances, e.g. {"USDT": "100000"}'),
    makerFeeRate: z.string().regex(/^-?0(\.\d{1,8})?$/).optional().describe('e.g. "0.001" (0.1 %)'),
    takerFeeRate: z.string().regex(/^0(\.\d{1,8})?$/).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional().describe('makes slippage and latency reproducible'),
  })
  .strict()
  .meta({ id: 'PaperConfig' });
export type PaperConfig = z.infer<typeof paperConfigSchema>;

const secretField = z.string().min(8).max(512).regex(/^\S+$/, 'no spaces');

/**
 * `paper` accounts trade on the built-in simulated exchange (venue `paper`); `live` accounts on a
 * real venue (a ccxt exchange id) with an API key and secret, which are stored encrypted and never
 * returned. Traders create paper accounts; live accounts need an admin.
 */
export const createExchangeAccountRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(EXCHANGE_ACCOUNT_KINDS),
    venue: z.string().regex(/^[a-z0-9]{2,32}$/, 'a venue id such as paper or binance').default('paper'),
    apiKey: secretField.optional(),
    apiSecret: secretField.optional(),
    paperConfig: paperConfigSchema.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.kind === 'live') {
      if (!b.apiKey) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'a live account needs an API key' });
      if (!b.apiSecret) ctx.addIssue({ code: 'custom', path: ['apiSecret'], message: 'a live account needs an API secret' });
      if (b.venue === 'paper') ctx.addIssue({ code: 'custom', path: ['venue'], message: 'a live account needs a real venue' });
      if (b.paperConfig) ctx.addIssue({ code: 'custom', path: ['paperConfig'], message: 'only paper accounts take a paper configuration' });
    } else {
      if (b.apiKey || b.apiSecret) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'a paper account takes no API key or secret' });
      if (b.venue !== 'paper') ctx.addIssue({ code: 'custom', path: ['venue'], message: 'a paper account trades on venue paper' });
    }
  })
  .meta({ id: 'CreateExchangeAccountRequest' });
export type CreateExchangeAccountRequest = z.infer<typeof createExchangeAccountRequestSchema>;

/** An exchange account as the API shows it: never the key or the secret, at most the key's last 4 characters. */
export const exchangeAccountSchema = z
  .object({
    id: uuidSchema,
    name: z.string(),
    kind: z.enum(EXCHANGE_ACCOUNT_KINDS),
    venue: z.string(),
    apiKeyLast4: z.string().nullable().describe('last 4 characters of the API key (live accounts)'),
    hasApiSecret: z.boolean(),
    paperConfig: paperConfigSchema.nullable(),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict()
  .meta({ id: 'ExchangeAccount' });
export type ExchangeAccount = z.infer<typeof exchangeAccountSchema>;

export const exchangeAccountListSchema = z.object({ items: z.array(exchangeAccountSchema) }).meta({ id: 'ExchangeAccountList' });
export const idParamsSchema = z.object({ id: uuidSchema });
