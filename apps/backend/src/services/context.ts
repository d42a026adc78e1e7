import type { Role } from '@kestrel/contracts';

/** Who is acting, for services: taken from the verified token, never from the request body. */
export interface ActorContext {
  userId: string;
  tenantId: string;
  username: string;
  roles: readonly Role[];
  requestId: string;
}

export const isOperator = (actor: { roles: readonly Role[] }) => actor.roles.includes('operator');
export const isAdmin = (actor: { roles: readonly Role[] }) => actor.roles.includes('admin');
