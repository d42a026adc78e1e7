import { z } from 'zod';
import {
  AppError,
  createTenantRequestSchema,
  pageSchema,
  paginationQuerySchema,
  tenantSchema,
  updateTenantRequestSchema,
  uuidSchema,
} from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import type { AuthGuard } from '../http/auth-guard.ts';
import type { TenantService } from '../services/tenants.ts';
import { errorResponses, guardedErrors } from './responses.ts';

const tenantParams = z.object({ tenantId: uuidSchema });
const tenantPageSchema = pageSchema(tenantSchema).meta({ id: 'TenantPage' });

/** Tenant management: operators only. */
export function registerTenantRoutes(app: KestrelServer, deps: { tenants: TenantService; guard: AuthGuard }): void {
  const onRequest = deps.guard.requireRoles('operator');
  const security = [{ bearer: [] }];

  app.get(
    '/tenants',
    {
      onRequest,
      schema: {
        tags: ['tenants'],
        summary: 'List tenants (by slug)',
        security,
        querystring: paginationQuerySchema,
        response: { 200: tenantPageSchema, ...errorResponses(400, ...guardedErrors) },
      },
    },
    async (req) => deps.tenants.list(req.query),
  );

  app.post(
    '/tenants',
    {
      onRequest,
      schema: {
        tags: ['tenants'],
        summary: 'Create a tenant',
        security,
        body: createTenantRequestSchema,
        response: { 201: tenantSchema, ...errorResponses(400, 409, ...guardedErrors) },
      },
    },
    async (req, reply) => reply.status(201).send(await deps.tenants.create(req.body)),
  );

  app.get(
    '/tenants/:tenantId',
    {
      onRequest,
      schema: {
        tags: ['tenants'],
        summary: 'Read a tenant',
        security,
        params: tenantParams,
        response: { 200: tenantSchema, ...errorResponses(400, 404, ...guardedErrors) },
      },
    },
    async (req) => {
      const tenant = await deps.tenants.get(req.params.tenantId);
      if (!tenant) throw new AppError('NOT_FOUND', 'No such tenant.');
      return tenant;
    },
  );

  app.patch(
    '/tenants/:tenantId',
    {
      onRequest,
      schema: {
        tags: ['tenants'],
        summary: 'Rename, disable or re-enable a tenant (disabling ends its sessions)',
        security,
        params: tenantParams,
        body: updateTenantRequestSchema,
        response: { 200: tenantSchema, ...errorResponses(400, 404, ...guardedErrors) },
      },
    },
    async (req) => {
      const tenant = await deps.tenants.update(req.params.tenantId, req.body);
      if (!tenant) throw new AppError('NOT_FOUND', 'No such tenant.');
      req.log.info({ tenantId: tenant.id, changes: Object.keys(req.body), by: deps.guard.actorOf(req).userId }, 'tenant updated');
      return tenant;
    },
  );
}
