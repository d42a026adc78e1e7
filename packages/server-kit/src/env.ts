import { z } from 'zod';

/**
 * Parses the environment with a zod schema at boot and fails with one readable list of every
 * problem (what is wrong and what to set), instead of a crash later on first use.
 */
export function parseEnv<T extends z.ZodType>(schema: T, source: Record<string, string | undefined>, service: string): z.output<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new Error(`${service}: invalid environment. Fix these variables (see .env.example):\n${lines.join('\n')}`);
}

export const portSchema = z.coerce.number().int().min(0).max(65535);
export const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
export const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
