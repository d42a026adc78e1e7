import type { VenueOrder, VenueTrade } from '../port.ts';

export type EngineEvent = { readonly type: 'order'; readonly order: VenueOrder } | { readonly type: 'trade'; readonly trade: VenueTrade };
export type EngineListener = (event: EngineEvent) => void;
/** All events of one engine operation (a submit, a cancel, one tick or bar), in order. */
export type EngineBatchListener = (events: readonly EngineEvent[]) => void;

/**
 * The engine's synchronous event fan-out: each event to the plain listeners at once, and to the
 * batch listeners once per outermost operation (operations nest when a listener submits while
 * an event is being matched).
 */
export class EngineEventBus {
  readonly #listeners: EngineListener[] = [];
  readonly #batchListeners: EngineBatchListener[] = [];
  #batch: EngineEvent[] = [];
  #depth = 0;

  /** Whether anyone listens: events need not even be built otherwise. */
  get wanted(): boolean {
    return this.#listeners.length > 0 || this.#batchListeners.length > 0;
  }

  subscribe(listener: EngineListener): () => void {
    return add(this.#listeners, listener);
  }

  subscribeBatches(listener: EngineBatchListener): () => void {
    return add(this.#batchListeners, listener);
  }

  publish(event: EngineEvent): void {
    for (const listener of this.#listeners) listener(event);
    if (this.#batchListeners.length > 0) this.#batch.push(event);
  }

  begin(): void {
    this.#depth++;
  }

  end(): void {
    if (--this.#depth > 0 || this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    for (const listener of this.#batchListeners) listener(batch);
  }
}

function add<T>(list: T[], item: T): () => void {
  list.push(item);
  return () => {
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
  };
}
