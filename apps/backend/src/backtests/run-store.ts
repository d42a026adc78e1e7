import type { BacktestProgressView, BacktestStatus } from '@kestrel/contracts';
import { and, backtestRuns, desc, eq, inArray, lt, or, sql, type Database } from '@kestrel/db';
import { decodeTimeCursor, encodeTimeCursor } from '../services/time-cursor.ts';
import type { RunError } from './jobs.ts';

export type RunRow = typeof backtestRuns.$inferSelect;
export type RunKind = RunRow['kind'];
/** A row without its result (lists, status changes): the result can be megabytes. */
export type RunSummaryRow = Omit<RunRow, 'result'>;
export type NewRun = Pick<RunRow, 'id' | 'tenantId' | 'kind' | 'name' | 'profileId' | 'config' | 'runner' | 'createdBy' | 'createdByUsername'>;

/** Every column but `result`. */
const t = backtestRuns;
const summaryColumns = {
  id: t.id,
  tenantId: t.tenantId,
  kind: t.kind,
  name: t.name,
  status: t.status,
  profileId: t.profileId,
  config: t.config,
  progress: t.progress,
  metrics: t.metrics,
  error: t.error,
  runner: t.runner,
  createdBy: t.createdBy,
  createdByUsername: t.createdByUsername,
  createdAt: t.createdAt,
  startedAt: t.startedAt,
  finishedAt: t.finishedAt,
};
const UNFINISHED: BacktestStatus[] = ['queued', 'running'];
const json = <T>(v: T) => v as unknown as Record<string, unknown>;

/**
 * The backtest_runs table. Every status change is conditional on the status it leaves, so the
 * database settles races (a cancel against a finishing worker, a cancel through another
 * instance): the first change wins, the later one changes nothing and says so (null / false).
 */
export class RunStore {
  constructor(private readonly database: Database) {}

  async insert(run: NewRun): Promise<RunSummaryRow> {
    const [row] = await this.database.withTenant({ tenantId: run.tenantId }, (tx) =>
      tx
        .insert(backtestRuns)
        .values({ ...run, status: 'queued', progress: json<BacktestProgressView>({ percent: 0, barsPerSecond: 0 }) })
        .returning(summaryColumns),
    );
    return row!;
  }

  /** queued → running. */
  markRunning(tenantId: string, id: string): Promise<RunSummaryRow | null> {
    return this.#change(tenantId, id, ['queued'], { status: 'running', startedAt: new Date() });
  }

  async progress(tenantId: string, id: string, progress: BacktestProgressView): Promise<boolean> {
    return (await this.#change(tenantId, id, ['running'], { progress: json(progress) })) !== null;
  }

  complete(tenantId: string, id: string, done: { metrics: unknown; result: unknown; progress: BacktestProgressView }): Promise<RunSummaryRow | null> {
    return this.#change(tenantId, id, ['running'], { status: 'completed', metrics: json(done.metrics), result: json(done.result), progress: json(done.progress), finishedAt: new Date() });
  }

  fail(tenantId: string, id: string, error: RunError): Promise<RunSummaryRow | null> {
    return this.#change(tenantId, id, UNFINISHED, { status: 'failed', error, finishedAt: new Date() });
  }

  cancel(tenantId: string, kind: RunKind, id: string): Promise<RunSummaryRow | null> {
    return this.#change(tenantId, id, UNFINISHED, { status: 'cancelled', finishedAt: new Date() }, kind);
  }

  /** The whole row (with its result), or null for another tenant's, another kind's or a missing one. */
  async get(tenantId: string, kind: RunKind, id: string): Promise<RunRow | null> {
    const [row] = await this.database.withTenant({ tenantId }, (tx) =>
      tx.select().from(backtestRuns).where(and(eq(backtestRuns.tenantId, tenantId), eq(backtestRuns.kind, kind), eq(backtestRuns.id, id))),
    );
    return row ?? null;
  }

  async summary(tenantId: string, kind: RunKind, id: string): Promise<RunSummaryRow | null> {
    const [row] = await this.database.withTenant({ tenantId }, (tx) =>
      tx.select(summaryColumns).from(backtestRuns).where(and(eq(backtestRuns.tenantId, tenantId), eq(backtestRuns.kind, kind), eq(backtestRuns.id, id))),
    );
    return row ?? null;
  }

  /** Newest first; cursor on (created_at, id). */
  async list(tenantId: string, kind: RunKind, q: { status?: BacktestStatus | undefined; limit: number; cursor?: string | undefined }): Promise<{ rows: RunSummaryRow[]; nextCursor: string | null }> {
    const c = q.cursor ? decodeTimeCursor(q.cursor) : null;
    const rows = await this.database.withTenant({ tenantId }, (tx) =>
      tx
        .select(summaryColumns)
        .from(backtestRuns)
        .where(
          and(
            eq(backtestRuns.tenantId, tenantId),
            eq(backtestRuns.kind, kind),
            q.status ? eq(backtestRuns.status, q.status) : undefined,
            c ? or(lt(backtestRuns.createdAt, c.at), and(eq(backtestRuns.createdAt, c.at), lt(backtestRuns.id, c.id))) : undefined,
          ),
        )
        .orderBy(desc(backtestRuns.createdAt), desc(backtestRuns.id))
        .limit(q.limit + 1),
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { rows: page, nextCursor: rows.length > q.limit && last ? encodeTimeCursor(last.createdAt, last.id) : null };
  }

  /** Summaries plus each run's equity curve (read out of the result in the database, not the whole result). */
  async withEquity(tenantId: string, ids: readonly string[]): Promise<Array<RunSummaryRow & { equity: unknown }>> {
    return this.database.withTenant({ tenantId }, (tx) =>
      tx
        .select({ ...summaryColumns, equity: sql<unknown>`${backtestRuns.result} -> 'equity'` })
        .from(backtestRuns)
        .where(and(eq(backtestRuns.tenantId, tenantId), eq(backtestRuns.kind, 'backtest'), inArray(backtestRuns.id, [...ids]))),
    );
  }

  async delete(tenantId: string, kind: RunKind, id: string): Promise<boolean> {
    const gone = await this.database.withTenant({ tenantId }, (tx) =>
      tx.delete(backtestRuns).where(and(eq(backtestRuns.tenantId, tenantId), eq(backtestRuns.kind, kind), eq(backtestRuns.id, id))).returning({ id: backtestRuns.id }),
    );
    return gone.length > 0;
  }

  /**
   * Start-up: the runs this instance (`runner`) left queued or running when it stopped are failed
   * with `error`, in every tenant. Returns them.
   */
  async failLeftovers(runner: string, error: RunError): Promise<RunSummaryRow[]> {
    return this.database.withTenant({ allTenants: true }, (tx) =>
      tx
        .update(backtestRuns)
        .set({ status: 'failed', error, finishedAt: new Date() })
        .where(and(eq(backtestRuns.runner, runner), inArray(backtestRuns.status, UNFINISHED)))
        .returning(summaryColumns),
    );
  }

  async #change(tenantId: string, id: string, from: BacktestStatus[], set: Partial<RunRow>, kind?: RunKind): Promise<RunSummaryRow | null> {
    const [row] = await this.database.withTenant({ tenantId }, (tx) =>
      tx
        .update(backtestRuns)
        .set(set)
        .where(and(eq(backtestRuns.tenantId, tenantId), eq(backtestRuns.id, id), inArray(backtestRuns.status, from), kind ? eq(backtestRuns.kind, kind) : undefined))
        .returning(summaryColumns),
    );
    return row ?? null;
  }
}
