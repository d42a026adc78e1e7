import { meSchema, preferencesSchema, type UpdatePreferencesRequest } from '@kestrel/contracts';
import type { HttpClient } from '../http.ts';

export const userApi = (http: HttpClient) => ({
  me: () => http.request(meSchema, { path: '/api/user/me' }),
  preferences: () => http.request(preferencesSchema, { path: '/api/user/preferences' }),
  updatePreferences: (body: UpdatePreferencesRequest) => http.request(preferencesSchema, { method: 'PUT', path: '/api/user/preferences', body }),
});
