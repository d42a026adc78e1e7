import { rowsOf, sql, type Database, type Tx } from '@kestrel/db';

/** A held lease: the fencing token every write made under it carries. */
export interface Lease {
  readonly profileId: string;
  readonly tenantId: string;
  readonly holder: string;
  readonly epoch: number;
}

/**
 * One backend instance runs a profile's loop at a time. The lease is a row in `profile_leases`
 * with a heartbeat; every time is the DATABASE's clock (`now()`), so instances with skewed clocks
 * agree on expiry.
 *
 * - `acquire`: free, expired, or already ours (a restart of the same instance) → taken, and the
 *   `epoch` grows by one. The epoch is the fencing token: the order pipeline writes an intent only
 *   while `(holder, epoch)` still holds the lease (`assertLease`), so an instance that stalled
 *   (GC pause, lost network) and lost its lease to another cannot place orders any more, even if
 *   it has not noticed yet.
 * - `renew`: the heartbeat, only with the same epoch; false → the lease was taken over: stop.
 * - `release`: on a clean stop, so another instance can take over at once.
 */
export class LeaseManager {
  constructor(
    private readonly database: Database,
    readonly holder: string,
    readonly ttlMs: number,
  ) {}

  async acquire(profileId: string, tenantId: string): Promise<Lease | null> {
    const rows = await this.database.withTenant({ tenantId }, async (tx) =>
      rowsOf<{ epoch: string | number }>(
        await tx.execute(sql`
          insert into profile_leases (profile_id, tenant_id, holder, epoch, heartbeat_at, expires_at)
          values (${profileId}, ${tenantId}, ${this.holder}, 1, now(), now() + ${this.ttlMs} * interval '1 millisecond')
          on conflict (profile_id) do update
            set holder = excluded.holder, epoch = profile_leases.epoch + 1, heartbeat_at = now(), expires_at = excluded.expires_at
            where profile_leases.expires_at < now() or profile_leases.holder = excluded.holder
          returning epoch`),
      ),
    );
    const row = rows[0];
    return row ? { profileId, tenantId, holder: this.holder, epoch: Number(row.epoch) } : null;
  }

  async renew(lease: Lease): Promise<boolean> {
    const rows = await this.database.withTenant({ tenantId: lease.tenantId }, async (tx) =>
      rowsOf<{ epoch: number }>(
        await tx.execute(sql`
          update profile_leases set heartbeat_at = now(), expires_at = now() + ${this.ttlMs} * interval '1 millisecond'
          where profile_id = ${lease.profileId} and holder = ${lease.holder} and epoch = ${lease.epoch}
          returning epoch`),
      ),
    );
    return rows.length === 1;
  }

  async release(lease: Lease): Promise<void> {
    // Expired, not deleted: the epoch must keep growing, or a stale process could match a later lease.
    await this.database.withTenant({ tenantId: lease.tenantId }, (tx) =>
      tx.execute(sql`update profile_leases set expires_at = now() - interval '1 millisecond'
        where profile_id = ${lease.profileId} and holder = ${lease.holder} and epoch = ${lease.epoch}`),
    );
  }

  /** Who holds a profile's lease now (null when nobody does or it expired). */
  async holderOf(profileId: string, tenantId: string): Promise<{ holder: string; epoch: number; expiresAt: Date } | null> {
    const rows = await this.database.withTenant({ tenantId }, async (tx) =>
      rowsOf<{ holder: string; epoch: string | number; expires_at: Date | string }>(
        await tx.execute(sql`select holder, epoch, expires_at from profile_leases where profile_id = ${profileId} and expires_at > now()`),
      ),
    );
    const r = rows[0];
    return r ? { holder: r.holder, epoch: Number(r.epoch), expiresAt: new Date(r.expires_at) } : null;
  }
}

/** Thrown inside the intent transaction when the lease was lost: the transaction rolls back, nothing is sent. */
export class LeaseLostError extends Error {
  constructor(readonly lease: Lease) {
    super(`the lease of profile ${lease.profileId} (epoch ${lease.epoch}) is no longer held by ${lease.holder}; another instance runs it now`);
    this.name = 'LeaseLostError';
  }
}

/**
 * The fencing check, in the transaction that writes an intent: the lease row is locked (shared)
 * so a take-over cannot commit between this check and the intent's commit.
 */
export async function assertLease(tx: Tx, lease: Lease): Promise<void> {
  const rows = rowsOf<{ ok: number }>(
    await tx.execute(sql`select 1 as ok from profile_leases
      where profile_id = ${lease.profileId} and holder = ${lease.holder} and epoch = ${lease.epoch} and expires_at > now() for share`),
  );
  if (rows.length !== 1) throw new LeaseLostError(lease);
}
