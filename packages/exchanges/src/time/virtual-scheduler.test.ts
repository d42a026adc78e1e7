import { describe, expect, it } from 'vitest';
import { sleep } from './scheduler.ts';
import { VirtualScheduler } from './virtual-scheduler.ts';

describe('VirtualScheduler', () => {
  it('fires timers in time order, FIFO at equal times, and only when time is advanced', () => {
    const s = new VirtualScheduler(1_000);
    const fired: string[] = [];
    s.setTimeout(() => fired.push(`b@${s.now()}`), 20);
    s.setTimeout(() => fired.push(`a@${s.now()}`), 10);
    s.setTimeout(() => fired.push(`c@${s.now()}`), 20);
    const cancelled = s.setTimeout(() => fired.push('never'), 5);
    s.clearTimeout(cancelled);
    expect(s.pending).toBe(3);
    s.advance(15);
    expect(fired).toEqual(['a@1010']);
    s.advance(100);
    expect(fired).toEqual(['a@1010', 'b@1020', 'c@1020']);
    expect(s.now()).toBe(1_115);
  });

  it('lets async code between timers run with advanceAsync', async () => {
    const s = new VirtualScheduler();
    const log: number[] = [];
    const task = (async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(s, 100);
        log.push(s.now());
      }
    })();
    await s.advanceAsync(250);
    expect(log).toEqual([100, 200]);
    await s.advanceAsync(50);
    await task;
    expect(log).toEqual([100, 200, 300]);
  });

  it('runAllAsync drains every timer, including those set by timers', async () => {
    const s = new VirtualScheduler();
    let n = 0;
    const tick = () => {
      if (++n < 5) s.setTimeout(tick, 1_000);
    };
    s.setTimeout(tick, 0);
    await s.runAllAsync();
    expect(n).toBe(5);
    expect(s.now()).toBe(4_000);
  });
});
