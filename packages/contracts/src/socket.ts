import { z } from 'zod';
import { auditEntrySchema } from './audit.ts';
import { tradingControlSchema } from './trading-control.ts';

export const SOCKET_NAMESPACES = ['/', '/trading', '/admin'] as const;
export type SocketNamespace = (typeof SOCKET_NAMESPACES)[number];

/** Rooms are assigned by the server from the verified token; clients never choose them. */
export const rooms = {
  tenant: (tenantId: string) => `tenant:${tenantId}`,
  user: (userId: string) => `user:${userId}`,
  platform: () => 'platform',
};

/**
 * Every server→client event is wrapped in this envelope. `seq` increases by one per room and
 * namespace: a client that sees a jump knows it missed events and refetches over REST.
 */
export function socketEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ room: z.string(), seq: z.number().int().positive(), ts: z.string(), data });
}

export const socketEvents = {
  '/trading': {
    'trading.control': socketEnvelope(tradingControlSchema),
  },
  '/admin': {
    'trading.control': socketEnvelope(tradingControlSchema),
    'audit.entry': socketEnvelope(auditEntrySchema),
  },
  '/': {
    'session.expired': z.object({ reason: z.string() }),
  },
} as const;

/** Sent once right after connecting: which rooms the server put the socket in, with their current seq. */
export const socketReadySchema = z.object({ rooms: z.record(z.string(), z.number().int().nonnegative()) });
export const SOCKET_READY_EVENT = 'ready';
/** Server-side socket errors (connect_error data, and per-event acknowledgements). */
export const socketErrorSchema = z.object({ code: z.string(), message: z.string() });
