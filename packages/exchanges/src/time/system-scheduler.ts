import type { Scheduler, TimerId } from './scheduler.ts';

/**
 * The wall clock and Node's timers, for live use (the backend). Nothing inside paper/ or replay/
 * uses it directly: they receive a Scheduler.
 */
export function systemScheduler(): Scheduler {
  const timers = new Map<TimerId, ReturnType<typeof setTimeout>>();
  let nextId = 1;
  return {
    now: () => Date.now(),
    setTimeout(callback, delayMs) {
      const id = nextId++;
      const handle = setTimeout(() => {
        timers.delete(id);
        callback();
      }, Math.max(0, delayMs));
      timers.set(id, handle);
      return id;
    },
    clearTimeout(id) {
      const handle = timers.get(id);
      if (handle !== undefined) clearTimeout(handle);
      timers.delete(id);
    },
  };
}
