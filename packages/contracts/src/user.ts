import { z } from 'zod';
import { roleSchema, uuidSchema } from './auth.ts';

export const meSchema = z
  .object({
    id: uuidSchema,
    username: z.string(),
    tenantId: uuidSchema,
    roles: z.array(roleSchema),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

export const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '4h', '1d'] as const;

/** User preferences. Every field has a default, so a new user reads a complete object. */
export const preferencesSchema = z
  .object({
    // A trading terminal is dark unless the user asks otherwise ('system' follows the OS).
    theme: z.enum(['light', 'dark', 'system']).default('dark'),
    timezone: z.string().min(1).max(64).default('UTC'),
    locale: z.string().min(2).max(16).default('en-US'),
    defaultTimeframe: z.enum(TIMEFRAMES).default('5m'),
    confirmKillSwitch: z.boolean().default(true),
    notifications: z
      .object({ fills: z.boolean().default(true), riskDenials: z.boolean().default(true), killSwitch: z.boolean().default(true) })
      .strict()
      .default({ fills: true, riskDenials: true, killSwitch: true }),
  })
  .strict()
  .meta({ id: 'Preferences' });
export type Preferences = z.infer<typeof preferencesSchema>;

/** PUT replaces the given fields; unknown fields are refused (no mass assignment). */
export const updatePreferencesRequestSchema = z
  .object({
    theme: z.enum(['light', 'dark', 'system']).optional(),
    timezone: z
      .string()
      .min(1)
      .max(64)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'unknown IANA time zone')
      .optional(),
    locale: z.string().min(2).max(16).optional(),
    defaultTimeframe: z.enum(TIMEFRAMES).optional(),
    confirmKillSwitch: z.boolean().optional(),
    notifications: z
      .object({ fills: z.boolean().optional(), riskDenials: z.boolean().optional(), killSwitch: z.boolean().optional() })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'UpdatePreferencesRequest' });
export type UpdatePreferencesRequest = z.infer<typeof updatePreferencesRequestSchema>;
