import type { LoginRequest } from '@kestrel/contracts';
import { ApiError, isApiError } from './errors.ts';
import type { TokenSource } from './http.ts';
import type { SessionGrant, SessionTransport } from './session-transport.ts';
import { Store, type ReadableStore } from './store.ts';

export type SessionUser = SessionGrant['user'];

export type SessionState =
  /** Before `resume()` has answered: the app does not know yet whether a session exists. */
  | { status: 'unknown' }
  /** `reason` says why a session ended (e.g. AUTH_REFRESH_REUSED); null after a plain sign-out or when there never was one. */
  | { status: 'signed-out'; reason: ApiError | null }
  | { status: 'signed-in'; user: SessionUser; expiresAt: number };

/**
 * How sessions of one browser coordinate across tabs. Refreshes must never overlap: two refreshes
 * with the same (cookie) refresh token look like token theft to platform-service, which then
 * revokes the whole family. And a session that ends in one tab ends in all of them.
 */
export interface SessionCoordination {
  /** Runs `fn` while no other refresh of this browser runs. */
  lock<T>(fn: () => Promise<T>): Promise<T>;
  /** Tells the other tabs; `listen` hears them (never its own messages). */
  post(message: SessionMessage): void;
  listen(handler: (message: SessionMessage) => void): () => void;
}
export type SessionMessage = { type: 'signed-in' } | { type: 'signed-out'; code: string | null; message: string | null };

/** One process, no tabs (the mobile app, tests): an in-memory queue and nobody to tell. */
export function localCoordination(): SessionCoordination {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    lock(fn) {
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    },
    post: () => {},
    listen: () => () => {},
  };
}

export interface SessionOptions {
  transport: SessionTransport;
  coordination?: SessionCoordination;
  now?: () => number;
}

const RETRY_AFTER_FAILED_REFRESH_MS = 10_000;

/**
 * The signed-in user and their access token, kept in memory only (never in storage an injected
 * script could read). The token is renewed silently shortly before it expires, and on demand when
 * a request finds it expired; refreshes run one at a time. When the server refuses a refresh
 * (the token was reused and its family revoked, the account was disabled, the session was signed
 * out elsewhere) the session ends here and in every other tab: listeners of `state` see
 * `signed-out` with the reason, and sockets and caches are dropped by whoever listens.
 */
export class Session implements TokenSource {
  readonly #state = new Store<SessionState>({ status: 'unknown' });
  readonly state: ReadableStore<SessionState> = this.#state;
  readonly #transport: SessionTransport;
  readonly #coordination: SessionCoordination;
  readonly #now: () => number;
  readonly #unlisten: () => void;
  #token: string | null = null;
  #expiresAt = 0;
  #lifetimeMs = 0;
  #inflight: Promise<string> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(opts: SessionOptions) {
    this.#transport = opts.transport;
    this.#coordination = opts.coordination ?? localCoordination();
    this.#now = opts.now ?? Date.now;
    this.#unlisten = this.#coordination.listen((m) => {
      if (m.type === 'signed-out') this.#end(m.code ? new ApiError(m.code as ApiError['code'], m.message ?? 'Signed out in another window.', 401) : null, false);
      else if (this.#state.get().status !== 'signed-in') void this.resume();
    });
  }

  /** Picks up an existing session (the cookie after a reload, a stored token on a device); signed out when there is none. */
  async resume(): Promise<SessionState> {
    try {
      await this.refresh();
    } catch (err) {
      // No session to resume is not an error to show; a server that does not answer is.
      if (this.#state.get().status === 'unknown') this.#state.set({ status: 'signed-out', reason: isApiError(err) && err.retryable ? err : null });
    }
    return this.#state.get();
  }

  async login(credentials: LoginRequest): Promise<SessionUser> {
    const grant = await this.#coordination.lock(() => this.#transport.login(credentials));
    this.#apply(grant);
    this.#coordination.post({ type: 'signed-in' });
    return grant.user;
  }

  async logout(): Promise<void> {
    try {
      await this.#transport.logout();
    } catch {
      // Signed out locally whatever the server says; an unreachable server keeps a cookie that expires.
    }
    this.#end(null, true);
  }

  async accessToken(): Promise<string> {
    const skew = Math.min(5_000, this.#lifetimeMs * 0.1);
    if (this.#token && this.#now() < this.#expiresAt - skew) return this.#token;
    if (this.#state.get().status === 'signed-out') throw new ApiError('SESSION_ENDED', 'You are signed out: sign in again.');
    return this.refresh();
  }

  /** Renews the access token; concurrent callers share one refresh. */
  refresh(): Promise<string> {
    this.#inflight ??= this.#coordination
      .lock(() => this.#transport.refresh())
      .then((grant) => this.#apply(grant))
      .catch((err: unknown) => {
        // 401/403: the server refused the refresh token for good (reused, revoked, expired, disabled).
        if (isApiError(err) && (err.status === 401 || err.status === 403)) this.#end(this.#state.get().status === 'signed-in' ? err : null, true);
        throw err;
      })
      .finally(() => {
        this.#inflight = null;
      });
    return this.#inflight;
  }

  /** Stops timers and cross-tab listening (tests, app teardown). */
  dispose(): void {
    this.#clearTimer();
    this.#unlisten();
  }

  #apply(grant: SessionGrant): string {
    const now = this.#now();
    this.#token = grant.accessToken;
    this.#lifetimeMs = grant.expiresIn * 1000;
    this.#expiresAt = now + this.#lifetimeMs;
    this.#state.set({ status: 'signed-in', user: grant.user, expiresAt: this.#expiresAt });
    // Renew a minute early (a fifth of the lifetime for short ones), so no request meets an expired token.
    this.#schedule(this.#lifetimeMs - Math.min(60_000, this.#lifetimeMs / 5));
    return grant.accessToken;
  }

  #schedule(delayMs: number): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.refresh().catch((err: unknown) => {
        // A refusal ended the session already; a network failure is retried while the token lasts.
        if (isApiError(err) && err.retryable && this.#now() < this.#expiresAt) this.#schedule(RETRY_AFTER_FAILED_REFRESH_MS);
      });
    }, Math.max(0, delayMs));
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #end(reason: ApiError | null, tellOthers: boolean): void {
    this.#clearTimer();
    this.#token = null;
    this.#expiresAt = 0;
    const wasSignedOut = this.#state.get().status === 'signed-out';
    this.#state.set({ status: 'signed-out', reason });
    if (tellOthers && !wasSignedOut) this.#coordination.post({ type: 'signed-out', code: reason?.code ?? null, message: reason?.message ?? null });
  }
}
