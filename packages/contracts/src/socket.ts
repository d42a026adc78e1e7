import { z } from 'zod';
import { auditEntrySchema } from './audit.ts';
import { tradingControlChangedSchema } from './trading-control.ts';
import { profileStateSchema } from './profiles.ts';
import { decisionSchema, fillEventSchema, orderSchema } from './orders.ts';
import { marketCandleEventSchema, marketTickEventSchema } from './market.ts';
import { marketDataImportEventSchema } from './market-data-store.ts';
import { profilePnlSummarySchema, valuedPositionSchema } from './pnl.ts';
import { reconciliationRunSchema } from './reconciliation.ts';
import { backtestFinishedEventSchema, backtestProgressEventSchema } from './backtests.ts';

export const SOCKET_NAMESPACES = ['/', '/trading', '/admin'] as const;
export type SocketNamespace = (typeof SOCKET_NAMESPACES)[number];

/** Rooms are assigned by the server from the verified token; clients never choose them. */
export const rooms = {
  tenant: (tenantId: string) => `tenant:${tenantId}`,
  user: (userId: string) => `user:${userId}`,
  /** Every socket of the namespace: platform-wide events (the global switch). */
  platform: () => 'platform',
  /** Operators only (in /admin): platform-wide audit entries. */
  operators: () => 'operators',
  /** One profile's events (in /trading): joined with `subscribe.profile`, only for the caller's tenant's profiles. */
  profile: (profileId: string) => `profile:${profileId}`,
  /** One symbol's ticks and candles (in /trading): joined with `subscribe.market`; the same for every tenant. */
  market: (symbol: string) => `market:${symbol}`,
};

/**
 * Every server→client event is wrapped in this envelope. `seq` increases by one per room and
 * namespace: a client that sees a jump knows it missed events and refetches over REST.
 */
export function socketEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ room: z.string(), seq: z.number().int().positive(), ts: z.string(), data });
}

/** Sent on every namespace right before the server drops a socket whose access token expired. */
export const sessionExpiredSchema = z.object({ reason: z.string() });

export const socketEvents = {
  '/trading': {
    'trading.control': socketEnvelope(tradingControlChangedSchema),
    'profile.state': socketEnvelope(profileStateSchema),
    'order.update': socketEnvelope(orderSchema),
    fill: socketEnvelope(fillEventSchema),
    'position.update': socketEnvelope(valuedPositionSchema),
    'pnl.update': socketEnvelope(profilePnlSummarySchema),
    decision: socketEnvelope(decisionSchema),
    'market.tick': socketEnvelope(marketTickEventSchema),
    'market.candle': socketEnvelope(marketCandleEventSchema),
    'marketdata.import': socketEnvelope(marketDataImportEventSchema),
    'backtest.progress': socketEnvelope(backtestProgressEventSchema),
    'backtest.finished': socketEnvelope(backtestFinishedEventSchema),
    'session.expired': sessionExpiredSchema,
  },
  '/admin': {
    'trading.control': socketEnvelope(tradingControlChangedSchema),
    'audit.entry': socketEnvelope(auditEntrySchema),
    'reconciliation.run': socketEnvelope(reconciliationRunSchema),
    'session.expired': sessionExpiredSchema,
  },
  '/': {
    'session.expired': sessionExpiredSchema,
  },
} as const;

/** Sent once right after connecting: which rooms the server put the socket in, with their current seq. */
export const socketReadySchema = z.object({ rooms: z.record(z.string(), z.number().int().nonnegative()) });
export const SOCKET_READY_EVENT = 'ready';
/** Server-side socket errors (connect_error data, and per-event acknowledgements). */
export const socketErrorSchema = z.object({ code: z.string(), message: z.string() });

/**
 * Client→server requests on /trading, each answered through the acknowledgement callback with
 * `{ ok: true, room, seq }` or `{ ok: false, error: { code, message } }`.
 */
export const SUBSCRIBE_PROFILE_EVENT = 'subscribe.profile';
export const UNSUBSCRIBE_PROFILE_EVENT = 'unsubscribe.profile';
export const subscribeProfileRequestSchema = z.object({ profileId: z.uuid() }).strict();
export const subscribeProfileAckSchema = z.union([
  z.object({ ok: z.literal(true), room: z.string(), seq: z.number().int().nonnegative() }),
  z.object({ ok: z.literal(false), error: socketErrorSchema }),
]);

/** Join or leave `market:<symbol>` with `{ symbol }`; the same acknowledgement as subscribe.profile. */
export const SUBSCRIBE_MARKET_EVENT = 'subscribe.market';
export const UNSUBSCRIBE_MARKET_EVENT = 'unsubscribe.market';
export const subscribeMarketAckSchema = subscribeProfileAckSchema;
