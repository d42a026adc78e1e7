/** Tuning of reconciliation runs (Reconciler options). */
export interface ReconcilerOptions {
  /**
   * A local order the venue does not know is declared lost (or never sent) only once it has not
   * changed for this long: well past the sender's not-found window (10 s by default) and its
   * resend, so a run never races an ambiguous submit that is still being resolved. Younger ones
   * are left for the next run.
   */
  readonly notFoundAfterMs: number;
  /** Trades asked per fetchMyTrades page. */
  readonly tradePageSize: number;
  /** Pages per symbol in one run at most; the next run goes on from the last booked trade id. */
  readonly maxTradePages: number;
  /** An order of ours that is finished locally but still open at the venue is cancelled there (else only flagged). */
  readonly cancelZombies: boolean;
  /** Orders per transaction in the lifecycle check. */
  readonly lifecycleBatchSize: number;
}

export const DEFAULT_RECONCILER_OPTIONS: ReconcilerOptions = { notFoundAfterMs: 60_000, tradePageSize: 500, maxTradePages: 200, cancelZombies: true, lifecycleBatchSize: 500 };

export const OPEN_STATUSES = ['new', 'submitted', 'accepted', 'partially_filled', 'cancel_requested'] as const;

