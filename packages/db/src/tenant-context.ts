import { sql, type SQL } from 'drizzle-orm';

/**
 * Tenant isolation, second wall (the first is the tenant filter in every query).
 *
 * Tenant-owned tables have row-level security policies (see migrations/*) that compare each row's
 * `tenant_id` with the transaction-local setting `app.tenant_id`. The application runs tenant work
 * through `Database.withTenant`, which opens a transaction and, as its first statement, switches
 * to the role `kestrel_app` (not the owner, not a superuser, no BYPASSRLS) and sets the tenant —
 * both with `set_config(..., is_local => true)`, so they end with the transaction and can never
 * leak to the next user of a pooled connection. A query in that transaction that forgets
 * `WHERE tenant_id = …` still sees only that tenant's rows; with no tenant set it sees none.
 *
 * Operators read across tenants with `{ allTenants: true }`, which sets `app.all_tenants = on`
 * (the policies admit every row); it is granted only by routes guarded to the operator role.
 *
 * The same holds on PGlite and PostgreSQL: both run the same migrations and policies.
 */
export const APP_ROLE = 'kestrel_app';

export type TenantScope = { tenantId: string; allTenants?: false } | { allTenants: true; tenantId?: string | null };

export function tenantContextStatement(scope: TenantScope): SQL {
  const tenantId = scope.tenantId ?? '';
  const all = scope.allTenants ? 'on' : 'off';
  return sql`select set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${tenantId}, true), set_config('app.all_tenants', ${all}, true)`;
}
