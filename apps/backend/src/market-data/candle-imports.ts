import { randomUUID } from 'node:crypto';
import { AppError, rooms, type CandleImportSummary, type CandleImportView } from '@kestrel/contracts';
import type { Database } from '@kestrel/db';
import type { RealtimeHub } from '../realtime/hub.ts';
import { importCandles } from './candle-store.ts';

/** Finished imports stay pollable this long (and at most MAX_KEPT of them). */
const KEEP_FINISHED_MS = 15 * 60_000;
const MAX_KEPT = 500;
/** Progress events at most this often per import (the first and the outcome always go out). */
const PUSH_EVERY_MS = 250;

interface Tracked {
  tenantId: string;
  view: CandleImportView;
  lastPush: number;
}

export interface UploadRequest {
  tenantId: string;
  /** The client's id for the import (Import-Id), or none: one is made. */
  importId?: string | undefined;
  symbol: string;
  timeframe: string;
  /** The request's Content-Length, when sent: gives a percent. */
  totalBytes: number | null;
  body: AsyncIterable<Uint8Array>;
}

/**
 * CSV uploads into the candle store, with their progress: each import is tracked in memory under
 * its id (pollable with GET /api/market-data/imports/:id on the instance that runs it) and pushed
 * to the uploading tenant's room on /trading as `marketdata.import` — while bytes arrive, then
 * once with the outcome. The store parses the whole upload before it writes anything, so a failed
 * import (bad line, connection dropped) leaves no trace in the data.
 */
export class CandleImportService {
  readonly #imports = new Map<string, Tracked>();

  constructor(
    private readonly database: Database,
    private readonly hub: RealtimeHub,
    private readonly now: () => number = Date.now,
  ) {}

  async upload(req: UploadRequest): Promise<CandleImportSummary> {
    this.#prune();
    const id = req.importId ?? randomUUID();
    if (this.#imports.has(id)) throw new AppError('CONFLICT', `Import ${id} already exists: send a new Import-Id (a fresh UUID) for a new import.`);
    const tracked: Tracked = {
      tenantId: req.tenantId,
      lastPush: 0,
      view: {
        id,
        symbol: req.symbol,
        timeframe: req.timeframe,
        status: 'running',
        bytes: 0,
        totalBytes: req.totalBytes,
        bars: 0,
        percent: req.totalBytes ? 0 : null,
        startedAt: new Date(this.now()).toISOString(),
        finishedAt: null,
        result: null,
        error: null,
      },
    };
    this.#imports.set(id, tracked);
    this.#push(tracked);
    try {
      const summary = await importCandles(this.database, { tenantId: req.tenantId, symbol: req.symbol, timeframe: req.timeframe, source: 'upload' }, req.body, (p) => {
        tracked.view.bytes = p.bytes;
        tracked.view.bars = p.bars;
        if (req.totalBytes) tracked.view.percent = Math.min(100, Math.round((p.bytes / req.totalBytes) * 1000) / 10);
        if (this.now() - tracked.lastPush >= PUSH_EVERY_MS) this.#push(tracked);
      });
      const result: CandleImportSummary = {
        importId: id,
        datasetId: summary.datasetId,
        symbol: req.symbol,
        timeframe: req.timeframe,
        bars: summary.bars,
        inserted: summary.inserted,
        replaced: summary.replaced,
        first: summary.first,
        last: summary.last,
        gapCount: summary.gaps,
        missingBars: summary.missingBars,
      };
      this.#finish(tracked, { status: 'succeeded', result, percent: 100 });
      return result;
    } catch (err) {
      const error = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'INTERNAL_ERROR', message: 'The import failed on the server; nothing was stored. Try again; if it persists, report the import id.' };
      this.#finish(tracked, { status: 'failed', error });
      throw err;
    }
  }

  /** An import of the tenant's (running, or finished in the last 15 minutes) on this instance. */
  get(tenantId: string, id: string): CandleImportView {
    const tracked = this.#imports.get(id);
    if (!tracked || tracked.tenantId !== tenantId) {
      throw new AppError('NOT_FOUND', `No import ${id} of your tenant on this server: imports are kept 15 minutes after they finish; GET /api/market-data/coverage shows what is stored.`);
    }
    return tracked.view;
  }

  #finish(tracked: Tracked, outcome: Partial<CandleImportView>): void {
    Object.assign(tracked.view, outcome, { finishedAt: new Date(this.now()).toISOString() });
    this.#push(tracked);
  }

  #push(tracked: Tracked): void {
    tracked.lastPush = this.now();
    void this.hub.publish('/trading', rooms.tenant(tracked.tenantId), 'marketdata.import', { ...tracked.view });
  }

  #prune(): void {
    const cutoff = this.now() - KEEP_FINISHED_MS;
    for (const [id, t] of this.#imports) {
      const finished = t.view.finishedAt === null ? null : Date.parse(t.view.finishedAt);
      if (finished !== null && (finished < cutoff || this.#imports.size > MAX_KEPT)) this.#imports.delete(id);
    }
  }
}
