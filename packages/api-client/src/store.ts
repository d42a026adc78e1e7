/**
 * A value that changes over time and tells its listeners: session and connection state. Shaped
 * for React's useSyncExternalStore (`subscribe`, `get`) without depending on React, so the mobile
 * app and tests use it the same way.
 */
export interface ReadableStore<T> {
  get(): T;
  subscribe(listener: (value: T) => void): () => void;
}

export class Store<T> implements ReadableStore<T> {
  #value: T;
  readonly #listeners = new Set<(value: T) => void>();

  constructor(initial: T) {
    this.#value = initial;
  }

  get = (): T => this.#value;

  subscribe = (listener: (value: T) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  set(value: T): void {
    if (Object.is(value, this.#value)) return;
    this.#value = value;
    for (const l of [...this.#listeners]) l(value);
  }
}
