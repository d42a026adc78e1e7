import {
  decisionPageSchema,
  profileListSchema,
  profilePnlSchema,
  profileSchema,
  strategyListSchema,
  type CreateProfileRequest,
  type UpdateProfileRequest,
  type decisionQuerySchema,
} from '@kestrel/contracts';
import type { HttpClient, QueryInput } from '../http.ts';

export type ProfileAction = 'start' | 'pause' | 'stop';
export type DecisionQuery = QueryInput<typeof decisionQuerySchema>;

const path = (id: string) => `/api/profiles/${encodeURIComponent(id)}`;

export const profilesApi = (http: HttpClient) => ({
  list: () => http.request(profileListSchema, { path: '/api/profiles' }),
  get: (id: string) => http.request(profileSchema, { path: path(id) }),
  create: (body: CreateProfileRequest) => http.request(profileSchema, { method: 'POST', path: '/api/profiles', body }),
  /** Send `version` from the last read to get 409 CONFLICT instead of overwriting someone else's change. */
  update: (id: string, body: UpdateProfileRequest) => http.request(profileSchema, { method: 'PATCH', path: path(id), body }),
  remove: (id: string) => http.requestVoid({ method: 'DELETE', path: path(id) }),
  act: (id: string, action: ProfileAction, reason?: string) =>
    http.request(profileSchema, { method: 'POST', path: `${path(id)}/${action}`, body: reason ? { reason } : {} }),
  /** Why the bot did (not) trade: decisions newest first, with their stable code and reason. */
  decisions: (id: string, query: DecisionQuery = {}) => http.request(decisionPageSchema, { path: `${path(id)}/decisions`, query }),
  pnl: (id: string, days?: number) => http.request(profilePnlSchema, { path: `${path(id)}/pnl`, query: { days } }),
  /** Built-in strategies with the JSON Schema of their parameters (configuration forms are generated from it). */
  strategies: () => http.request(strategyListSchema, { path: '/api/strategies' }),
});
