import { createHash } from 'node:crypto';
import { AppError, isAppError } from '@kestrel/contracts';
import { and, eq, idempotencyKeys, sql, type Database } from '@kestrel/db';

export interface StoredResponse {
  statusCode: number;
  body: unknown;
  replayed: boolean;
}

/** A refusal as stored with its key and replayed (the error envelope without the request id). */
function refusalBody(err: AppError): { error: { code: string; message: string; details?: unknown } } {
  return { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } };
}

/** The unique index on decisions (tenant, idempotency key) refused a second decision (0004). */
function isDuplicateDecision(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { constraint?: unknown }).constraint === 'decisions_idempotency_key_idx') return true;
  }
  return false;
}

/** JSON with sorted object keys, so two bodies with the same content hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Idempotency-Key for requests that create something (manual orders). The first request claims
 * the key with INSERT … ON CONFLICT DO NOTHING in its own transaction, so among concurrent
 * requests exactly one runs; it stores its response (success or a 4xx refusal) with the key.
 * Repeats with the same body wait for that response and get it replayed; a different body (or
 * another user) with the same key is 422 IDEMPOTENCY_KEY_REUSED. A 5xx or crash frees the key so
 * the client may retry.
 */
export class IdempotencyService {
  constructor(
    private readonly database: Database,
    /**
     * `staleMs`: a key still pending after this long belongs to a request whose process died (a
     * live request answers within seconds): a repeat then recovers it (see `run`).
     */
    private readonly options: { waitMs: number; pollMs: number; staleMs: number } = { waitMs: 15_000, pollMs: 20, staleMs: 30_000 },
  ) {}

  /**
   * `recover`: what the first request did, read back from its own records (for a manual order: the
   * decision stored with this key, and its order). Used when the key is stale-pending: found → that
   * is the answer (stored, replayed); not found → the first request died before doing anything, and
   * this repeat takes the key over and runs.
   */
  async run(
    actor: { tenantId: string; userId: string },
    key: string,
    request: { method: string; path: string; body: unknown },
    exec: () => Promise<{ statusCode: number; body: unknown }>,
    recover?: () => Promise<{ statusCode: number; body: unknown } | null>,
  ): Promise<StoredResponse> {
    const requestHash = createHash('sha256').update(canonical({ ...request, userId: actor.userId })).digest('hex');
    const scope = { tenantId: actor.tenantId };
    const claimed = await this.database.withTenant(scope, (tx) =>
      tx.insert(idempotencyKeys).values({ tenantId: actor.tenantId, key, userId: actor.userId, requestHash, status: 'pending' }).onConflictDoNothing().returning({ key: idempotencyKeys.key }),
    );
    if (claimed.length === 0) {
      const first = await this.#awaitFirst(actor.tenantId, key, requestHash, recover);
      if (first !== 'take-over') return first;
    }
    return this.#execute(actor, key, exec, recover);
  }

  async #execute(
    actor: { tenantId: string },
    key: string,
    exec: () => Promise<{ statusCode: number; body: unknown }>,
    recover: (() => Promise<{ statusCode: number; body: unknown } | null>) | undefined,
  ): Promise<StoredResponse> {
    const scope = { tenantId: actor.tenantId };
    let result: { statusCode: number; body: unknown };
    try {
      result = await exec();
    } catch (err) {
      // Another request with this key got its decision in first (a take-over raced a slow first
      // request): the database refused a second one; answer with the first one's outcome.
      if (recover && isDuplicateDecision(err)) {
        const prior = await recover().catch((e: unknown) => {
          if (isAppError(e) && e.status < 500) return { statusCode: e.status, body: refusalBody(e) };
          throw e;
        });
        if (prior) {
          await this.#store(actor.tenantId, key, prior.statusCode, prior.body);
          const stored = prior.body as { error?: { code: string; message: string; details?: unknown } };
          if (prior.statusCode >= 400 && stored.error) throw new AppError(stored.error.code as never, stored.error.message, { details: stored.error.details, headers: { 'idempotent-replayed': 'true' } });
          return { ...prior, replayed: true };
        }
      }
      if (!isAppError(err) || err.status >= 500 || err.code === 'IDEMPOTENCY_KEY_IN_PROGRESS') {
        await this.database.withTenant(scope, (tx) => tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, actor.tenantId), eq(idempotencyKeys.key, key))));
        throw err;
      }
      // A refusal is an answer too: the same request gets the same refusal (and no second decision).
      await this.#store(actor.tenantId, key, err.status, refusalBody(err));
      throw err;
    }
    await this.#store(actor.tenantId, key, result.statusCode, result.body);
    return { ...result, replayed: false };
  }

  async #store(tenantId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.database.withTenant({ tenantId }, (tx) =>
      tx.update(idempotencyKeys).set({ status: 'done', statusCode, response }).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key))),
    );
  }

  async #awaitFirst(
    tenantId: string,
    key: string,
    requestHash: string,
    recover: (() => Promise<{ statusCode: number; body: unknown } | null>) | undefined,
  ): Promise<StoredResponse | 'take-over'> {
    const deadline = Date.now() + this.options.waitMs;
    for (;;) {
      const [row] = await this.database.withTenant({ tenantId }, (tx) => tx.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key))));
      if (row && row.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      if (row?.status === 'pending' && recover && Date.now() - row.createdAt.getTime() > this.options.staleMs) {
        // The first request's process died. Whoever moves created_at first owns the recovery.
        const [mine] = await this.database.withTenant({ tenantId }, (tx) =>
          tx
            .update(idempotencyKeys)
            .set({ createdAt: new Date() })
            .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.status, 'pending'), sql`date_trunc('milliseconds', ${idempotencyKeys.createdAt}) = ${row.createdAt}`))
            .returning({ key: idempotencyKeys.key }),
        );
        if (mine) {
          let prior: { statusCode: number; body: unknown } | null;
          try {
            prior = await recover();
          } catch (err) {
            if (!isAppError(err) || err.status >= 500) throw err;
            await this.#store(tenantId, key, err.status, refusalBody(err));
            throw new AppError(err.code, err.message, { details: err.details, headers: { 'idempotent-replayed': 'true' } });
          }
          if (!prior) return 'take-over';
          await this.#store(tenantId, key, prior.statusCode, prior.body);
          return { ...prior, replayed: true };
        }
        continue;
      }
      if (row?.status === 'done') {
        const stored = row.response as { error?: { code: string; message: string; details?: unknown } } | null;
        if (row.statusCode !== null && row.statusCode >= 400 && stored?.error) {
          throw new AppError(stored.error.code as never, stored.error.message, { details: stored.error.details, headers: { 'idempotent-replayed': 'true' } });
        }
        return { statusCode: row.statusCode ?? 200, body: row.response, replayed: true };
      }
      // No row: the first request failed and freed the key; this one may try again.
      if (!row) throw new AppError('IDEMPOTENCY_KEY_IN_PROGRESS', 'The first request with this Idempotency-Key failed; send it again.');
      if (Date.now() > deadline) throw new AppError('IDEMPOTENCY_KEY_IN_PROGRESS');
      await new Promise((r) => setTimeout(r, this.options.pollMs));
    }
  }
}
