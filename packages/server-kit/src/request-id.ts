import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Accept a caller's `x-request-id` when it is a sane token (so ids can be followed across
 * services), otherwise generate one. A hostile id (huge, or with characters that would break a
 * log line) is replaced, not echoed.
 */
export function requestIdFrom(req: IncomingMessage): string {
  const raw = req.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && VALID.test(value) ? value : randomUUID();
}
