import { z } from 'zod';

export const healthSchema = z.object({ status: z.enum(['ok', 'degraded', 'down']), checks: z.record(z.string(), z.object({ ok: z.boolean(), latencyMs: z.number().optional(), error: z.string().optional() })).optional() });

/** Cursor pagination: `limit` is bounded so a client cannot ask for a million rows. */
export const paginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/**
 * The demo tenant's id, fixed so that platform-service (which creates the tenant and its users)
 * and the backend (which gives it a paper account and a running demo bot) agree without talking.
 */
export const DEMO_TENANT_ID = '6b657374-7265-4c00-8000-64656d6f0001';
