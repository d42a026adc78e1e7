import type { Scheduler, TimerId } from '../time/scheduler.ts';
import type { Unsubscribe, VenueStreamEvent, VenueStreamListener } from '../port.ts';

/**
 * The paper venue's push stream. Events are delivered in the order they were queued, each no
 * earlier than its latency allows (FIFO: a slow event holds back the ones behind it, as on one
 * websocket). One timer at a time, set on the scheduler.
 */
export class PaperStream {
  readonly #scheduler: Scheduler;
  readonly #onListenerError: (error: unknown) => void;
  readonly #listeners: VenueStreamListener[] = [];
  readonly #queue: { at: number; event: VenueStreamEvent }[] = [];
  #lastAt = -Infinity;
  #timer: TimerId | null = null;

  constructor(scheduler: Scheduler, onListenerError: (error: unknown) => void) {
    this.#scheduler = scheduler;
    this.#onListenerError = onListenerError;
  }

  subscribe(listener: VenueStreamListener): Unsubscribe {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  /** Queues events `delayMs` from now (never before those already queued); returns the delivery time. */
  enqueue(events: readonly VenueStreamEvent[], delayMs: number): number {
    const at = Math.max(this.#lastAt, this.#scheduler.now() + delayMs);
    for (const event of events) this.#queue.push({ at, event });
    this.#lastAt = at;
    this.#arm();
    return at;
  }

  #arm(): void {
    if (this.#timer !== null) return;
    const head = this.#queue[0];
    if (!head) return;
    this.#timer = this.#scheduler.setTimeout(() => this.#deliver(), head.at - this.#scheduler.now());
  }

  #deliver(): void {
    this.#timer = null;
    const now = this.#scheduler.now();
    while (this.#queue.length > 0 && this.#queue[0]!.at <= now) {
      const { event } = this.#queue.shift()!;
      for (const listener of [...this.#listeners]) {
        try {
          listener(event);
        } catch (error) {
          this.#onListenerError(error);
        }
      }
    }
    this.#arm();
  }
}
