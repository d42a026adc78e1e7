import { z } from 'zod';
import { auditPageSchema, auditQuerySchema, createUserRequestSchema, pageSchema, paginationQuerySchema, updateUserRequestSchema, userSchema, uuidSchema } from '@kestrel/contracts';
import type { Database } from '@kestrel/db';
import type { KestrelServer } from '@kestrel/server-kit';
import { bearerToken } from '../auth/token-verifier.ts';
import { caller } from '../plugins/auth.ts';
import { listAudit } from '../services/audit.ts';
import type { PlatformClient } from '../services/platform-client.ts';
import { errorResponses } from './error-responses.ts';

const userPage = pageSchema(userSchema);

export function registerAdminRoutes(app: KestrelServer, deps: { database: Database; platform: PlatformClient }) {
  app.get(
    '/api/admin/audit',
    {
      config: { access: ['admin', 'operator'] },
      schema: {
        tags: ['admin'],
        summary: "Audit log, newest first: an admin reads their tenant's, an operator every tenant's and the platform's",
        security: [{ bearer: [] }],
        querystring: auditQuerySchema,
        response: { 200: auditPageSchema, ...errorResponses },
      },
    },
    async (req) => listAudit(deps.database, { ...caller(req), requestId: req.id }, req.query),
  );

  // Users of the caller's tenant: platform-service owns them; the backend forwards the caller's
  // token and request id so the dashboard talks to one origin.
  const forward = <T>(req: { headers: { authorization?: string | undefined }; id: string }, method: string, path: string, body?: unknown) =>
    deps.platform.call<T>({ method, path, token: bearerToken(req.headers.authorization) ?? '', requestId: req.id, body });

  app.get(
    '/api/admin/users',
    {
      config: { access: ['admin', 'operator'] },
      schema: {
        tags: ['admin'],
        summary: "Users of the caller's tenant, by username",
        security: [{ bearer: [] }],
        querystring: paginationQuerySchema,
        response: { 200: userPage, ...errorResponses },
      },
    },
    async (req) => {
      const q = new URLSearchParams({ limit: String(req.query.limit), ...(req.query.cursor ? { cursor: req.query.cursor } : {}) });
      return forward<z.infer<typeof userPage>>(req, 'GET', `/tenants/${caller(req).tenantId}/users?${q}`);
    },
  );

  app.post(
    '/api/admin/users',
    {
      config: { access: ['admin', 'operator'] },
      schema: {
        tags: ['admin'],
        summary: "Create a user in the caller's tenant",
        security: [{ bearer: [] }],
        body: createUserRequestSchema,
        response: { 201: userSchema, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (req, reply) => {
      const user = await forward<z.infer<typeof userSchema>>(req, 'POST', `/tenants/${caller(req).tenantId}/users`, req.body);
      return reply.status(201).send(user);
    },
  );

  app.patch(
    '/api/admin/users/:userId',
    {
      config: { access: ['admin', 'operator'] },
      schema: {
        tags: ['admin'],
        summary: "Change a user's roles, name, status or password",
        security: [{ bearer: [] }],
        params: z.object({ userId: uuidSchema }),
        body: updateUserRequestSchema,
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (req) => forward<z.infer<typeof userSchema>>(req, 'PATCH', `/tenants/${caller(req).tenantId}/users/${req.params.userId}`, req.body),
  );
}
