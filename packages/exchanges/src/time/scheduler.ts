import type { Clock } from './clock.ts';

export type TimerId = number;

/**
 * Timers are injected like the clock: live code passes `systemScheduler`, tests and simulations a
 * `VirtualScheduler` whose time moves only when the test says so. `now()` is the scheduler's time.
 */
export interface Scheduler extends Clock {
  setTimeout(callback: () => void, delayMs: number): TimerId;
  clearTimeout(id: TimerId): void;
}

/** Resolves after `ms` of the scheduler's time. */
export function sleep(scheduler: Scheduler, ms: number): Promise<void> {
  return new Promise((resolve) => {
    scheduler.setTimeout(resolve, ms);
  });
}
