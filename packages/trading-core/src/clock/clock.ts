/**
 * The only source of "now" in the trading core. Live code passes a wall clock (in the backend);
 * tests and backtests pass a ManualClock, so every run is deterministic.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** A clock that moves only when told to; it never goes backwards. */
export class ManualClock implements Clock {
  #now: number;

  constructor(startMs = 0) {
    assertTime(startMs);
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  set(ms: number): void {
    assertTime(ms);
    if (ms < this.#now) throw new RangeError(`ManualClock.set(): ${ms} is before the current time ${this.#now}`);
    this.#now = ms;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock.advance(): not a non-negative duration: ${ms}`);
    this.#now += ms;
  }
}

/** A clock frozen at one instant. */
export function fixedClock(ms: number): Clock {
  assertTime(ms);
  return { now: () => ms };
}

function assertTime(ms: number): void {
  if (!Number.isFinite(ms)) throw new RangeError(`not a finite epoch-ms time: ${ms}`);
}
