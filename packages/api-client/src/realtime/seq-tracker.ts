/** What one event's `seq` says about the events before it in its room. */
export type SeqVerdict =
  /** The next one expected, or the first one seen in the room. */
  | 'in-order'
  /** Events were skipped: whatever they changed is unknown here until a refetch. */
  | 'gap'
  /** Not newer than the last one seen (delivered around a `ready` or ack that already counted it). */
  | 'old';

/**
 * Per-room sequence numbers of one socket. The server numbers the events of each (namespace,
 * room) 1, 2, 3…; `ready` and subscription acks give the current number when the socket joins.
 * A jump means the socket missed events, which only a REST refetch can repair. Numbers restart
 * when the backend restarts, so every new connection starts from the new baselines (`reset`).
 */
export class SeqTracker {
  readonly #last = new Map<string, number>();

  /** The room's current number when the socket joined it (`ready` value or subscribe ack). */
  baseline(room: string, seq: number): void {
    this.#last.set(room, Math.max(seq, this.#last.get(room) ?? 0));
  }

  observe(room: string, seq: number): SeqVerdict {
    const last = this.#last.get(room);
    if (last !== undefined && seq <= last) return 'old';
    this.#last.set(room, seq);
    return last === undefined || seq === last + 1 ? 'in-order' : 'gap';
  }

  forget(room: string): void {
    this.#last.delete(room);
  }

  reset(): void {
    this.#last.clear();
  }
}
