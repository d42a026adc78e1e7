import type { Scheduler, TimerId } from './scheduler.ts';

interface Timer {
  readonly id: TimerId;
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * Virtual time for tests and simulations: timers fire only when the owner advances the clock, in
 * time order and, at equal times, in the order they were set. The `…Async` variants let pending
 * promise continuations run before each timer, so async code (the paper exchange's latency) reads
 * top to bottom in a test: start a call, `await scheduler.advanceAsync(50)`, assert.
 */
export class VirtualScheduler implements Scheduler {
  #now: number;
  #seq = 0;
  #nextId = 1;
  readonly #heap: Timer[] = [];
  readonly #cancelled = new Set<TimerId>();

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): TimerId {
    const id = this.#nextId++;
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    this.#push({ id, at: this.#now + delay, seq: this.#seq++, callback });
    return id;
  }

  clearTimeout(id: TimerId): void {
    if (this.#heap.some((t) => t.id === id)) this.#cancelled.add(id);
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.#heap.length - this.#cancelled.size;
  }

  /** Moves time forward by `ms`, firing due timers synchronously (promise continuations wait). */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (let t = this.#popDue(target); t; t = this.#popDue(target)) {
      this.#now = t.at;
      t.callback();
    }
    this.#now = target;
  }

  /** Like `advance`, but lets promise continuations run before each timer and at the end. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flushMicrotasks();
    for (let t = this.#popDue(target); t; t = this.#popDue(target)) {
      this.#now = t.at;
      t.callback();
      await flushMicrotasks();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  /** Fires every timer, however far in the future, until none is left (or `maxTimers` fired). */
  async runAllAsync(maxTimers = 100_000): Promise<void> {
    await flushMicrotasks();
    for (let i = 0; i < maxTimers; i++) {
      const t = this.#popDue(Infinity);
      if (!t) return;
      this.#now = Math.max(this.#now, t.at);
      t.callback();
      await flushMicrotasks();
    }
    throw new Error(`VirtualScheduler.runAllAsync: still busy after ${maxTimers} timers`);
  }

  #popDue(limit: number): Timer | undefined {
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.at > limit) return undefined;
      this.#pop();
      if (this.#cancelled.delete(top.id)) continue;
      return top;
    }
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** Resolves once every queued promise continuation has run (a macrotask turn). */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
