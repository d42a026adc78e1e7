import type { z } from 'zod';
import { auditPageSchema, pageSchema, userSchema, type auditQuerySchema, type createUserRequestSchema, type updateUserRequestSchema } from '@kestrel/contracts';
import type { HttpClient, QueryInput } from '../http.ts';

export type AuditQuery = QueryInput<typeof auditQuerySchema>;
const userPageSchema = pageSchema(userSchema);

export const adminApi = (http: HttpClient) => ({
  audit: (query: AuditQuery = {}) => http.request(auditPageSchema, { path: '/api/admin/audit', query }),
  users: (query: { limit?: number; cursor?: string } = {}) => http.request(userPageSchema, { path: '/api/admin/users', query }),
  createUser: (body: z.input<typeof createUserRequestSchema>) => http.request(userSchema, { method: 'POST', path: '/api/admin/users', body }),
  updateUser: (id: string, body: z.input<typeof updateUserRequestSchema>) =>
    http.request(userSchema, { method: 'PATCH', path: `/api/admin/users/${encodeURIComponent(id)}`, body }),
});
