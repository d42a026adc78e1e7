import { z } from 'zod';
import { uuidSchema } from './auth.ts';

export const AUDIT_ACTIONS = [
  'trading.control.global',
  'trading.control.tenant',
  'exchange_account.create',
  'exchange_account.delete',
  'profile.create',
  'profile.update',
  'profile.delete',
  'profile.start',
  'profile.stop',
  'profile.pause',
  'order.manual.create',
  'order.manual.cancel',
  'reconciliation.run',
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);

export const auditEntrySchema = z
  .object({
    id: z.string(),
    tenantId: uuidSchema.nullable().describe('null for platform-wide actions (the global switch)'),
    actorId: uuidSchema,
    actorUsername: z.string(),
    action: z.string(),
    target: z.string(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    requestId: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditQuerySchema = z
  .object({
    action: z.string().max(100).optional(),
    actorId: uuidSchema.optional(),
    tenantId: uuidSchema.optional().describe('operators only: one tenant'),
    from: z.iso.datetime().optional(),
    to: z.iso.datetime().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().regex(/^\d{1,19}$/, 'a cursor from a previous page').optional(),
  })
  .strict();
export const auditPageSchema = z
  .object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditPage' });
