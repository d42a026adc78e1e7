import { z } from 'zod';

/**
 * The dashboard's build-time settings (Vite exposes `VITE_*` variables), validated once. The
 * default is the page's own origin: the backend serves the dashboard, so REST, the session cookie
 * and the sockets need no CORS.
 */
const envSchema = z.object({
  VITE_API_URL: z.union([z.literal(''), z.url()]).default('').describe('backend origin; empty = the page origin'),
  /** Seconds without a market tick (while connected) before the stale-data banner shows. */
  VITE_STALE_AFTER_SECONDS: z.coerce.number().int().min(2).max(600).default(10),
});

const parsed = envSchema.safeParse(import.meta.env);
if (!parsed.success) throw new Error(`Invalid dashboard settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);

export const env = { apiUrl: parsed.data.VITE_API_URL, staleAfterMs: parsed.data.VITE_STALE_AFTER_SECONDS * 1000 };
