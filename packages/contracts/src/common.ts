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
