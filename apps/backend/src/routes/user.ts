import { meSchema, preferencesSchema, updatePreferencesRequestSchema } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import { ANY_ROLE, caller } from '../plugins/auth.ts';
import type { PreferencesService } from '../services/preferences.ts';
import { errorResponses } from './error-responses.ts';

export function registerUserRoutes(app: KestrelServer, deps: { preferences: PreferencesService }) {
  app.get(
    '/api/user/me',
    {
      config: { access: ANY_ROLE },
      schema: { tags: ['user'], summary: 'The signed-in user, with tenant and roles', security: [{ bearer: [] }], response: { 200: meSchema, ...errorResponses } },
    },
    async (req) => {
      const a = caller(req);
      return { id: a.userId, username: a.username, tenantId: a.tenantId, roles: a.roles };
    },
  );

  app.get(
    '/api/user/preferences',
    {
      config: { access: ANY_ROLE },
      schema: { tags: ['user'], summary: "The signed-in user's preferences", security: [{ bearer: [] }], response: { 200: preferencesSchema, ...errorResponses } },
    },
    async (req) => deps.preferences.get(caller(req)),
  );

  app.put(
    '/api/user/preferences',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['user'],
        summary: 'Change some preferences (fields not sent stay as they are)',
        security: [{ bearer: [] }],
        body: updatePreferencesRequestSchema,
        response: { 200: preferencesSchema, ...errorResponses },
      },
    },
    async (req) => deps.preferences.update({ ...caller(req), requestId: req.id }, req.body),
  );
}
