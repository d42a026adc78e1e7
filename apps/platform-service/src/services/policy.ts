import { AppError, type Role } from '@kestrel/contracts';

/** Who is calling a management route, with roles and status read fresh from the database. */
export interface Actor {
  userId: string;
  tenantId: string;
  username: string;
  roles: Role[];
}

export const isOperator = (actor: Actor): boolean => actor.roles.includes('operator');

/**
 * Operators manage every tenant; an admin only their own. Another tenant's ids answer 404 — the
 * same as ids that do not exist — so an admin cannot probe which tenants or users exist.
 */
export function assertTenantAccess(actor: Actor, tenantId: string): void {
  if (isOperator(actor)) return;
  if (actor.roles.includes('admin') && actor.tenantId === tenantId) return;
  throw new AppError('NOT_FOUND', 'No such tenant.');
}

/** `operator` is platform-wide power: only an operator may grant it. */
export function assertCanGrant(actor: Actor, roles: readonly Role[]): void {
  if (!isOperator(actor) && roles.includes('operator')) throw new AppError('FORBIDDEN', 'Only an operator can grant the operator role.');
}

/**
 * An admin may not edit an operator who lives in their tenant (the demo tenant has one): resetting
 * that password would hand the admin platform-wide power.
 */
export function assertCanManageUser(actor: Actor, target: { roles: readonly string[] }): void {
  if (!isOperator(actor) && target.roles.includes('operator')) throw new AppError('FORBIDDEN', 'Only an operator can change an operator account.');
}
