/**
 * "Now" is injected: the paper exchange and the replay never read the wall clock, so every run is
 * deterministic. Structurally the same as trading-core's `Clock`.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** A clock that moves only when told to; it never goes backwards. */
export class ManualClock implements Clock {
  #now: number;

  constructor(startMs = 0) {
    if (!Number.isFinite(startMs)) throw new RangeError(`ManualClock: not a finite time: ${startMs}`);
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  set(ms: number): void {
    if (!Number.isFinite(ms) || ms < this.#now) throw new RangeError(`ManualClock.set(${ms}): before ${this.#now}`);
    this.#now = ms;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock.advance(${ms}): not a non-negative duration`);
    this.#now += ms;
  }
}
