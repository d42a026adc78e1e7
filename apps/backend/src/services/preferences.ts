import { and, eq, sql, userPreferences, type Database } from '@kestrel/db';
import { preferencesSchema, type Preferences, type UpdatePreferencesRequest } from '@kestrel/contracts';
import type { ActorContext } from './context.ts';

const DEFAULTS: Preferences = preferencesSchema.parse({});

interface CacheEntry {
  value: Preferences;
  expiresAt: number;
}

/**
 * User preferences. Reads are served from a bounded in-process cache (preferences are read on
 * every page load and change rarely): a write goes to the database first and then replaces the
 * cached value on this instance. Other instances pick the change up within the cache TTL.
 */
export class PreferencesService {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly database: Database,
    private readonly options: { ttlMs: number; maxEntries?: number; now?: () => number },
  ) {}

  private key(actor: Pick<ActorContext, 'tenantId' | 'userId'>) {
    return `${actor.tenantId}:${actor.userId}`;
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  async get(actor: Pick<ActorContext, 'tenantId' | 'userId'>): Promise<Preferences> {
    const key = this.key(actor);
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    const rows = await this.database.withTenant({ tenantId: actor.tenantId }, (tx) =>
      tx
        .select({ preferences: userPreferences.preferences })
        .from(userPreferences)
        .where(and(eq(userPreferences.tenantId, actor.tenantId), eq(userPreferences.userId, actor.userId))),
    );
    const value = rows[0] ? preferencesSchema.parse({ ...DEFAULTS, ...rows[0].preferences }) : DEFAULTS;
    this.remember(key, value);
    return value;
  }

  async update(actor: ActorContext, patch: UpdatePreferencesRequest): Promise<Preferences> {
    const value = await this.database.withTenant({ tenantId: actor.tenantId }, async (tx) => {
      // Lock the row (if any) so two concurrent partial updates do not lose each other's fields.
      const rows = await tx
        .select({ preferences: userPreferences.preferences })
        .from(userPreferences)
        .where(and(eq(userPreferences.tenantId, actor.tenantId), eq(userPreferences.userId, actor.userId)))
        .for('update');
      const current = rows[0] ? preferencesSchema.parse({ ...DEFAULTS, ...rows[0].preferences }) : DEFAULTS;
      const next = preferencesSchema.parse({
        ...current,
        ...patch,
        notifications: { ...current.notifications, ...(patch.notifications ?? {}) },
      });
      await tx
        .insert(userPreferences)
        .values({ tenantId: actor.tenantId, userId: actor.userId, preferences: next })
        .onConflictDoUpdate({
          target: [userPreferences.tenantId, userPreferences.userId],
          set: { preferences: next, version: sql`${userPreferences.version} + 1`, updatedAt: sql`now()` },
        });
      return next;
    });
    this.remember(this.key(actor), value);
    return value;
  }

  private remember(key: string, value: Preferences) {
    if (this.options.ttlMs <= 0) return;
    const max = this.options.maxEntries ?? 50_000;
    if (this.cache.size >= max && !this.cache.has(key)) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(key, { value, expiresAt: this.now() + this.options.ttlMs });
  }
}
