import { browserSessionSchema, tokenPairSchema, type BrowserSession, type LoginRequest } from '@kestrel/contracts';
import { ApiError } from './errors.ts';
import type { HttpClient } from './http.ts';

/** What a sign-in or a refresh grants the client: the access token and who it belongs to. */
export type SessionGrant = BrowserSession;

/**
 * Where the refresh token lives. The session logic (timers, single flight, sign-out on refusal)
 * is the same for both; only the transport differs.
 */
export interface SessionTransport {
  login(credentials: LoginRequest): Promise<SessionGrant>;
  /** Rejects with the server's ApiError (e.g. AUTH_REFRESH_REUSED) when the session cannot be renewed. */
  refresh(): Promise<SessionGrant>;
  logout(): Promise<void>;
}

/**
 * Browsers: the backend's `/api/auth/*` routes on the page's own origin. The refresh token is an
 * HttpOnly cookie that script never sees (OWASP's recommendation for single-page apps: nothing
 * long-lived in localStorage or sessionStorage, where an injected script could read it); only the
 * short-lived access token reaches JavaScript, and it is kept in memory. A reload resumes the
 * session through the cookie.
 */
export function cookieSessionTransport(http: HttpClient): SessionTransport {
  return {
    login: (credentials) => http.request(browserSessionSchema, { method: 'POST', path: '/api/auth/login', body: credentials, auth: false }),
    refresh: () => http.request(browserSessionSchema, { method: 'POST', path: '/api/auth/refresh', body: {}, auth: false }),
    logout: () => http.requestVoid({ method: 'POST', path: '/api/auth/logout', body: {}, auth: false }),
  };
}

/** Secure storage for a refresh token outside browsers (the mobile app: the platform keychain). */
export interface RefreshTokenStore {
  get(): Promise<string | null>;
  set(token: string): Promise<void>;
  clear(): Promise<void>;
}

/**
 * Native apps: platform-service's own routes, the refresh token in the body, kept in a
 * RefreshTokenStore (the OS keychain; never plain files). `http` points at platform-service.
 */
export function storedTokenSessionTransport(http: HttpClient, store: RefreshTokenStore): SessionTransport {
  const grant = async (path: string, body: unknown): Promise<SessionGrant> => {
    const { refreshToken, ...session } = await http.request(tokenPairSchema, { method: 'POST', path, body, auth: false });
    await store.set(refreshToken);
    return session;
  };
  return {
    login: (credentials) => grant('/auth/login', credentials),
    async refresh() {
      const refreshToken = await store.get();
      if (!refreshToken) throw new ApiError('AUTH_REFRESH_INVALID', 'No saved session on this device: sign in.', 401);
      try {
        return await grant('/auth/refresh', { refreshToken });
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) await store.clear();
        throw err;
      }
    },
    async logout() {
      const refreshToken = await store.get();
      await store.clear();
      if (refreshToken) await http.requestVoid({ method: 'POST', path: '/auth/logout', body: { refreshToken }, auth: false });
    },
  };
}
