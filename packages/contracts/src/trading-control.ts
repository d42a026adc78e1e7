import { z } from 'zod';
import { uuidSchema } from './auth.ts';

const switchStateSchema = z.object({
  tradingEnabled: z.boolean(),
  killSwitchReason: z.string().nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable().describe('username of whoever changed it last'),
});

export const tradingControlSchema = z
  .object({
    globalTradingEnabled: z.boolean().describe('platform-wide switch (operators)'),
    killSwitchReason: z.string().nullable().describe('why the global switch is off'),
    global: switchStateSchema,
    tenant: switchStateSchema.extend({ tenantId: uuidSchema }),
    effectiveTradingEnabled: z.boolean().describe('true only when both the global and the tenant switch are on'),
  })
  .meta({ id: 'TradingControl' });
export type TradingControl = z.infer<typeof tradingControlSchema>;

const reasonSchema = z.string().trim().min(1).max(500);
const reasonRequired = { message: 'killSwitchReason is required when turning trading off', path: ['killSwitchReason'] };

/** The switch to flip, by scope: `global` (operators only) or `tenant` (admins of the tenant, and operators). */
export const scopedTradingControlRequestSchema = z
  .object({
    scope: z.enum(['global', 'tenant']).describe('global: operators only; tenant: admins of the tenant (and operators)'),
    tradingEnabled: z.boolean(),
    killSwitchReason: reasonSchema.optional().describe('required when turning trading off'),
  })
  .strict()
  .refine((b) => b.tradingEnabled || b.killSwitchReason !== undefined, reasonRequired);

/** The global switch in the field names of the original design (`globalTradingEnabled`); operators only. */
export const globalTradingControlRequestSchema = z
  .object({
    globalTradingEnabled: z.boolean(),
    killSwitchReason: reasonSchema.optional().describe('required when turning trading off'),
  })
  .strict()
  .refine((b) => b.globalTradingEnabled || b.killSwitchReason !== undefined, reasonRequired);

export const updateTradingControlRequestSchema = z
  .union([scopedTradingControlRequestSchema, globalTradingControlRequestSchema])
  .meta({ id: 'UpdateTradingControlRequest' });
export type UpdateTradingControlBody = z.infer<typeof updateTradingControlRequestSchema>;

/** Both request shapes, as the one the services work with. */
export function normalizeTradingControlRequest(body: UpdateTradingControlBody): UpdateTradingControlRequest {
  if ('scope' in body) return body;
  return { scope: 'global', tradingEnabled: body.globalTradingEnabled, ...(body.killSwitchReason ? { killSwitchReason: body.killSwitchReason } : {}) };
}

export type UpdateTradingControlRequest = z.infer<typeof scopedTradingControlRequestSchema>;

/** Pushed on /trading and /admin when a switch changes: `global` to everyone, `tenant` to that tenant. */
export const tradingControlChangedSchema = z
  .object({
    scope: z.enum(['global', 'tenant']),
    tenantId: uuidSchema.nullable(),
    tradingEnabled: z.boolean(),
    killSwitchReason: z.string().nullable(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'TradingControlChanged' });
export type TradingControlChanged = z.infer<typeof tradingControlChangedSchema>;
