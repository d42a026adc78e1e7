import type { PlatformConfig } from './config.ts';

/** Turns the usual boot failures into what to do about them. */
export function bootHint(err: unknown, config: PlatformConfig): string {
  const e = err as NodeJS.ErrnoException & { cause?: unknown };
  const message = e instanceof Error ? e.message : String(err);
  switch (e?.code) {
    case 'EADDRINUSE':
      return `port ${config.PLATFORM_PORT} on ${config.PLATFORM_HOST} is already in use. Stop the other process or set PLATFORM_PORT to a free port.`;
    case 'EACCES':
      return `not allowed to listen on ${config.PLATFORM_HOST}:${config.PLATFORM_PORT}. Use a port above 1023 (PLATFORM_PORT).`;
    case 'EADDRNOTAVAIL':
      return `${config.PLATFORM_HOST} is not an address of this machine. Set PLATFORM_HOST (e.g. 127.0.0.1 or 0.0.0.0).`;
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case '28P01':
    case '3D000':
      return `cannot use the database at DATABASE_URL (${message}). Start PostgreSQL and check the URL, or unset DATABASE_URL to use the embedded PGlite in PLATFORM_DATA_DIR.`;
    default:
      if (/changed after it was applied/.test(message)) return message;
      if (config.DATABASE_URL === undefined && /pglite|wasm|lock/i.test(message)) {
        return `the embedded database in ${config.PLATFORM_DATA_DIR} could not be opened (${message}). Is another platform-service using it? Stop it or set PLATFORM_DATA_DIR.`;
      }
      return message;
  }
}
