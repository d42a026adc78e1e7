import { z } from 'zod';
import { tokenPairSchema } from './auth.ts';

/**
 * Browser sessions through the backend (`/api/auth/*`, same origin as the dashboard). The backend
 * forwards to platform-service and keeps the refresh token out of JavaScript's reach: it travels
 * only in an HttpOnly, SameSite=Strict cookie scoped to `/api/auth`, so an XSS cannot steal it.
 * The answer is the token pair without the refresh token; the access token stays in memory.
 */
export const SESSION_COOKIE = 'kestrel_refresh';
export const SESSION_COOKIE_PATH = '/api/auth';

export const browserSessionSchema = tokenPairSchema.omit({ refreshToken: true }).meta({ id: 'BrowserSession' });
export type BrowserSession = z.infer<typeof browserSessionSchema>;

/** Refresh and logout take no fields: the cookie is the credential. A JSON body is still required (see the route's CSRF note). */
export const sessionActionRequestSchema = z.object({}).strict().meta({ id: 'SessionActionRequest' });
