import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import {
  rooms,
  socketEvents,
  socketReadySchema,
  SOCKET_READY_EVENT,
  subscribeProfileAckSchema,
  SUBSCRIBE_MARKET_EVENT,
  SUBSCRIBE_PROFILE_EVENT,
  UNSUBSCRIBE_MARKET_EVENT,
  UNSUBSCRIBE_PROFILE_EVENT,
  type SocketNamespace,
} from '@kestrel/contracts';
import { isApiError } from '../errors.ts';
import type { TokenSource } from '../http.ts';
import { Store, type ReadableStore } from '../store.ts';
import { backoffDelay } from './backoff.ts';
import { SeqTracker } from './seq-tracker.ts';

type NamespaceEvents<N extends SocketNamespace> = (typeof socketEvents)[N];
/** The enveloped events of a namespace (`session.expired` is handled here, not by callers). */
export type RealtimeEventName<N extends SocketNamespace> = Exclude<keyof NamespaceEvents<N>, 'session.expired'> & string;
/** `{ room, seq, ts, data }` of one event, validated against the contract. */
export type RealtimeEnvelope<N extends SocketNamespace, E extends RealtimeEventName<N>> = z.output<NamespaceEvents<N>[E]>;

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'refused' | 'closed';
export interface ConnectionState {
  status: ConnectionStatus;
  /** When the status last changed (epoch ms). */
  since: number;
  /** Reconnection attempts since the last successful connection. */
  attempt: number;
  /** Why the last attempt failed (the server's code, e.g. AUTH_TOKEN_EXPIRED, or TRANSPORT_ERROR). */
  error: { code: string; message: string } | null;
}

/**
 * Why a room's state must be re-read over REST:
 * - `joined` / `rejoined`: the socket (re)entered the room; whatever happened before (or while
 *   disconnected) was not pushed to it;
 * - `gap`: a `seq` jumped, so events were missed;
 * - `invalid-event`: an event did not match the contract and was not delivered.
 */
export type ResyncReason = 'joined' | 'rejoined' | 'gap' | 'invalid-event';
export type ResyncListener = (room: string, reason: ResyncReason) => void;

export interface RealtimeClientOptions<N extends SocketNamespace> {
  /** Backend origin (e.g. `http://localhost:4018`); '' for the page's own origin. */
  baseUrl: string;
  namespace: N;
  tokens: TokenSource;
  /** Reconnection back-off; defaults 1 s doubling up to 30 s, with jitter. */
  backoff?: { baseMs: number; maxMs: number };
  /** Default websocket only: no sticky sessions needed behind a load balancer. */
  transports?: Array<'websocket' | 'polling'>;
  ackTimeoutMs?: number;
  now?: () => number;
}

const envelopeHeadSchema = z.object({ room: z.string(), seq: z.number().int() });
/** `joined`: acknowledged at least once, so a later join is a rejoin. */
type Subscription = { kind: 'profile' | 'market'; key: string; count: number; joined: boolean };

/**
 * One Socket.IO namespace of the backend, kept connected and honest:
 * - connects with the session's current access token (read again at every attempt), refreshes it
 *   when the server refuses it or sends `session.expired`, and reconnects with jittered back-off;
 * - re-subscribes the profile and market rooms asked for after every reconnection;
 * - validates each event against the contracts and tracks `seq` per room: a jump, a reconnection or
 *   an invalid event calls the resync listeners with the room, so the app refetches over REST —
 *   data is never silently incomplete;
 * - exposes the connection state as a store (for a connection indicator).
 */
export class RealtimeClient<N extends SocketNamespace> {
  readonly namespace: N;
  readonly #state: Store<ConnectionState>;
  readonly state: ReadableStore<ConnectionState>;
  readonly #socket: Socket;
  readonly #tokens: TokenSource;
  readonly #tracker = new SeqTracker();
  readonly #handlers = new Map<string, Set<(envelope: never) => void>>();
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #resyncListeners = new Set<ResyncListener>();
  readonly #errorListeners = new Set<(error: { code: string; message: string }) => void>();
  readonly #backoff: { baseMs: number; maxMs: number };
  readonly #ackTimeoutMs: number;
  readonly #now: () => number;
  #wantOpen = false;
  #joinedBefore = false;
  #expired = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(opts: RealtimeClientOptions<N>) {
    this.namespace = opts.namespace;
    this.#tokens = opts.tokens;
    this.#backoff = opts.backoff ?? { baseMs: 1_000, maxMs: 30_000 };
    this.#ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
    this.#now = opts.now ?? Date.now;
    this.#state = new Store<ConnectionState>({ status: 'idle', since: this.#now(), attempt: 0, error: null });
    this.state = this.#state;
    this.#socket = io(opts.baseUrl + opts.namespace, {
      autoConnect: false,
      transports: opts.transports ?? ['websocket'],
      // Transport failures (server down, network) are retried by socket.io itself with this back-off;
      // refusals by the server (token, role) are handled below.
      reconnectionDelay: this.#backoff.baseMs,
      reconnectionDelayMax: this.#backoff.maxMs,
      randomizationFactor: 0.5,
      auth: (cb) => {
        this.#tokens.accessToken().then(
          (token) => cb({ token }),
          () => cb({}),
        );
      },
    });
    this.#wire();
  }

  connect(): void {
    this.#wantOpen = true;
    if (this.#socket.connected || this.#socket.active) return;
    this.#setState('connecting', null);
    this.#socket.connect();
  }

  /** Disconnects for good (sign-out, teardown); `connect()` starts again. */
  close(): void {
    this.#wantOpen = false;
    this.#clearRetry();
    this.#socket.disconnect();
    this.#tracker.reset();
    this.#setState('closed', null);
  }

  /** Listens to one event; returns the function that stops listening. */
  on<E extends RealtimeEventName<N>>(event: E, handler: (envelope: RealtimeEnvelope<N, E>) => void): () => void {
    const set = this.#handlers.get(event) ?? new Set();
    this.#handlers.set(event, set);
    set.add(handler as (envelope: never) => void);
    return () => set.delete(handler as (envelope: never) => void);
  }

  /** Called with each room whose state must be re-read over REST (see ResyncReason). */
  onResync(listener: ResyncListener): () => void {
    this.#resyncListeners.add(listener);
    return () => this.#resyncListeners.delete(listener);
  }

  /** Subscription refusals (`NOT_FOUND`, `RATE_LIMITED`…) and timeouts. */
  onError(listener: (error: { code: string; message: string }) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /** Joins `profile:<id>` (reference-counted; kept across reconnections); returns the leave function. */
  subscribeProfile(profileId: string): () => void {
    return this.#subscribe('profile', profileId);
  }

  /** Joins `market:<symbol>` for `market.tick` and `market.candle`; returns the leave function. */
  subscribeMarket(symbol: string): () => void {
    return this.#subscribe('market', symbol);
  }

  #wire(): void {
    const socket = this.#socket;
    socket.on('connect', () => {
      this.#clearRetry();
      this.#expired = false;
      this.#setState('connected', null, 0);
      for (const [room, sub] of this.#subscriptions) this.#join(room, sub);
    });
    socket.onAny((event: string, payload: unknown) => this.#dispatch(event, payload));
    socket.on('disconnect', (reason) => {
      this.#tracker.reset();
      if (!this.#wantOpen || reason === 'io client disconnect') return;
      if (reason === 'io server disconnect') {
        // The server dropped us (token expired, or it is shutting down): socket.io does not retry this
        // itself. The session has usually renewed the token already; if not, the refusal refreshes it.
        this.#retry(this.#expired ? { code: 'AUTH_TOKEN_EXPIRED', message: 'The session token expired; reconnecting with a fresh one.' } : { code: 'SERVER_DISCONNECT', message: 'The server closed the connection; reconnecting.' }, false);
      } else {
        this.#setState('reconnecting', { code: 'TRANSPORT_ERROR', message: `Connection lost (${reason}); reconnecting.` });
      }
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
      if (!this.#wantOpen) return;
      const refusal = err.data?.code ? { code: err.data.code, message: err.data.message ?? err.message } : null;
      if (socket.active || !refusal) {
        this.#setState('reconnecting', { code: 'TRANSPORT_ERROR', message: `The server is unreachable (${err.message}); retrying.` });
      } else if (refusal.code === 'FORBIDDEN') {
        this.#setState('refused', refusal);
      } else {
        this.#retry(refusal, refusal.code.startsWith('AUTH_TOKEN_'));
      }
    });
    socket.io.on('reconnect_attempt', (attempt) => this.#setState('reconnecting', this.#state.get().error, attempt));
  }

  #dispatch(event: string, payload: unknown): void {
    if (event === SOCKET_READY_EVENT) return this.#onReady(payload);
    if (event === 'session.expired') {
      this.#expired = true;
      return;
    }
    const head = envelopeHeadSchema.safeParse(payload);
    if (!head.success) return;
    const { room, seq } = head.data;
    const verdict = this.#tracker.observe(room, seq);
    const schema = (socketEvents[this.namespace] as Record<string, z.ZodType | undefined>)[event];
    // An event this client does not know (a newer server) still counts for the sequence.
    const parsed = schema?.safeParse(payload);
    if (parsed && !parsed.success) this.#resync(room, 'invalid-event');
    else if (parsed) for (const h of [...(this.#handlers.get(event) ?? [])]) h(parsed.data as never);
    if (verdict === 'gap') this.#resync(room, 'gap');
  }

  #onReady(payload: unknown): void {
    const ready = socketReadySchema.safeParse(payload);
    if (!ready.success) return;
    const reason = this.#joinedBefore ? 'rejoined' : 'joined';
    this.#joinedBefore = true;
    for (const [room, seq] of Object.entries(ready.data.rooms)) {
      this.#tracker.baseline(room, seq);
      this.#resync(room, reason);
    }
  }

  #subscribe(kind: Subscription['kind'], key: string): () => void {
    const room = kind === 'profile' ? rooms.profile(key) : rooms.market(key);
    const sub = this.#subscriptions.get(room) ?? { kind, key, count: 0, joined: false };
    this.#subscriptions.set(room, sub);
    if (++sub.count === 1 && this.#socket.connected) this.#join(room, sub);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--sub.count > 0) return;
      this.#subscriptions.delete(room);
      this.#tracker.forget(room);
      if (this.#socket.connected) this.#socket.emit(kind === 'profile' ? UNSUBSCRIBE_PROFILE_EVENT : UNSUBSCRIBE_MARKET_EVENT, kind === 'profile' ? { profileId: key } : { symbol: key });
    };
  }

  #join(room: string, sub: Subscription): void {
    const [event, payload] = sub.kind === 'profile' ? [SUBSCRIBE_PROFILE_EVENT, { profileId: sub.key }] : [SUBSCRIBE_MARKET_EVENT, { symbol: sub.key }];
    this.#socket
      .timeout(this.#ackTimeoutMs)
      .emitWithAck(event, payload)
      .then((raw: unknown) => {
        const ack = subscribeProfileAckSchema.safeParse(raw);
        if (!ack.success) return this.#error({ code: 'RESPONSE_INVALID', message: `Unexpected answer to ${event}.` });
        if (!ack.data.ok) return this.#error(ack.data.error);
        if (!this.#subscriptions.has(room)) return;
        this.#tracker.baseline(room, ack.data.seq);
        this.#resync(room, sub.joined ? 'rejoined' : 'joined');
        sub.joined = true;
      })
      .catch(() => this.#error({ code: 'TIMEOUT', message: `No answer to ${event} within ${this.#ackTimeoutMs} ms; it is retried after the next reconnection.` }));
  }

  /** Reconnects by hand after a server refusal, with back-off; a token refusal refreshes the session first. */
  #retry(error: { code: string; message: string }, refreshFirst: boolean): void {
    const attempt = this.#state.get().attempt + 1;
    this.#setState('reconnecting', error, attempt);
    this.#clearRetry();
    const renewed = refreshFirst ? this.#tokens.refresh().then(() => true) : Promise.resolve(true);
    renewed
      .catch((err: unknown) => {
        // A session that cannot be renewed is over: stay closed until the app signs in again.
        if (isApiError(err) && (err.code === 'SESSION_ENDED' || err.status === 401 || err.status === 403)) {
          this.#setState('closed', { code: err.code, message: err.message });
          return false;
        }
        return true;
      })
      .then((go) => {
        if (!go || !this.#wantOpen) return;
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = null;
          if (this.#wantOpen && !this.#socket.connected) this.#socket.connect();
        }, backoffDelay(attempt - 1, this.#backoff));
      });
  }

  #clearRetry(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #resync(room: string, reason: ResyncReason): void {
    for (const l of [...this.#resyncListeners]) l(room, reason);
  }

  #error(error: { code: string; message: string }): void {
    for (const l of [...this.#errorListeners]) l(error);
  }

  #setState(status: ConnectionStatus, error: ConnectionState['error'], attempt?: number): void {
    const prev = this.#state.get();
    const next = { status, since: prev.status === status ? prev.since : this.#now(), attempt: attempt ?? prev.attempt, error };
    if (prev.status === next.status && prev.attempt === next.attempt && prev.error?.code === next.error?.code) return;
    this.#state.set(next);
  }
}
