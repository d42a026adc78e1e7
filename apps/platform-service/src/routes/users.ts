import { z } from 'zod';
import { createUserRequestSchema, pageSchema, paginationQuerySchema, updateUserRequestSchema, userSchema, uuidSchema } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import type { AuthGuard } from '../http/auth-guard.ts';
import { assertCanGrant, assertCanManageUser, assertTenantAccess } from '../services/policy.ts';
import type { UserService } from '../services/users.ts';
import { errorResponses, guardedErrors } from './responses.ts';

const tenantParams = z.object({ tenantId: uuidSchema });
const userParams = z.object({ tenantId: uuidSchema, userId: uuidSchema });
const userPageSchema = pageSchema(userSchema).meta({ id: 'UserPage' });

/**
 * Users of a tenant: its admins and operators. Viewers and traders are refused (403) by the
 * guard; an admin addressing another tenant gets 404 (see services/policy.ts). Bodies are strict
 * schemas, so a field such as `tenantId` or `passwordHash` is refused (400), never assigned.
 */
export function registerUserRoutes(app: KestrelServer, deps: { users: UserService; guard: AuthGuard }): void {
  const { guard } = deps;
  const onRequest = guard.requireRoles('admin', 'operator');
  const security = [{ bearer: [] }];

  app.get(
    '/tenants/:tenantId/users',
    {
      onRequest,
      schema: {
        tags: ['users'],
        summary: 'List the users of a tenant (by username)',
        security,
        params: tenantParams,
        querystring: paginationQuerySchema,
        response: { 200: userPageSchema, ...errorResponses(400, 404, ...guardedErrors) },
      },
    },
    async (req) => {
      assertTenantAccess(guard.actorOf(req), req.params.tenantId);
      return deps.users.list(req.params.tenantId, req.query);
    },
  );

  app.post(
    '/tenants/:tenantId/users',
    {
      onRequest,
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        security,
        params: tenantParams,
        body: createUserRequestSchema,
        response: { 201: userSchema, ...errorResponses(400, 404, 409, ...guardedErrors) },
      },
    },
    async (req, reply) => {
      const actor = guard.actorOf(req);
      assertTenantAccess(actor, req.params.tenantId);
      assertCanGrant(actor, req.body.roles);
      const user = await deps.users.create(req.params.tenantId, req.body);
      req.log.info({ tenantId: user.tenantId, userId: user.id, roles: user.roles, by: actor.userId }, 'user created');
      return reply.status(201).send(user);
    },
  );

  app.patch(
    '/tenants/:tenantId/users/:userId',
    {
      onRequest,
      schema: {
        tags: ['users'],
        summary: 'Change roles, display name, status or password (disabling or a new password ends the user’s sessions)',
        security,
        params: userParams,
        body: updateUserRequestSchema,
        response: { 200: userSchema, ...errorResponses(400, 404, ...guardedErrors) },
      },
    },
    async (req) => {
      const actor = guard.actorOf(req);
      const { tenantId, userId } = req.params;
      assertTenantAccess(actor, tenantId);
      const user = await deps.users.update(tenantId, userId, req.body, (current) => {
        assertCanManageUser(actor, current);
        if (req.body.roles) assertCanGrant(actor, req.body.roles);
      });
      req.log.info({ tenantId, userId, changes: Object.keys(req.body), by: actor.userId }, 'user updated');
      return user;
    },
  );
}
