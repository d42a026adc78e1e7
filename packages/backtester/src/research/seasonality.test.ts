import { describe, expect, it } from 'vitest';
import { seasonality } from './seasonality.ts';
import { closesSeries, everyNumberFinite, HOUR, MONDAY } from './testing.ts';

const DAY = 24 * HOUR;

describe('seasonality', () => {
  it('hand values: returns bucketed by the UTC hour and ISO weekday of the bar they are realized in', () => {
    // Monday 00:00–03:00: +1 % at 01:00, −1/101 at 02:00, 0 at 03:00.
    const s = seasonality(closesSeries([100, 101, 100, 100]));
    expect(s.hourOfDay).toHaveLength(24);
    expect(s.dayOfWeek).toHaveLength(7);
    expect(s.hourOfDay[0]).toEqual({ hour: 0, count: 0, meanReturn: null, winShare: null });
    expect(s.hourOfDay[1]).toEqual({ hour: 1, count: 1, meanReturn: expect.closeTo(0.01, 12), winShare: 1 });
    expect(s.hourOfDay[2]).toEqual({ hour: 2, count: 1, meanReturn: expect.closeTo(-1 / 101, 12), winShare: 0 });
    expect(s.hourOfDay[3]).toEqual({ hour: 3, count: 1, meanReturn: 0, winShare: 0 });
    expect(s.dayOfWeek[0]).toEqual({ day: 1, count: 3, meanReturn: expect.closeTo((0.01 - 1 / 101) / 3, 12), winShare: 1 / 3 });
    expect(s.dayOfWeek.slice(1).every((b) => b.count === 0 && b.meanReturn === null && b.winShare === null)).toBe(true);
    expect(everyNumberFinite(s)).toBe(true);
  });

  it('agrees with a plain loop over Date’s UTC fields on ten days of hourly bars', () => {
    const closes: number[] = [];
    for (let i = 0; i < 240; i++) closes.push(100 + 10 * Math.sin(i / 7) + (i % 5));
    const start = MONDAY + 5 * DAY + 13 * HOUR; // a Saturday afternoon
    const s = seasonality(closesSeries(closes, { start }));
    const hour = Array.from({ length: 24 }, () => ({ n: 0, sum: 0, wins: 0 }));
    const day = Array.from({ length: 7 }, () => ({ n: 0, sum: 0, wins: 0 }));
    for (let i = 1; i < closes.length; i++) {
      const r = closes[i]! / closes[i - 1]! - 1;
      const when = new Date(start + i * HOUR);
      for (const b of [hour[when.getUTCHours()]!, day[(when.getUTCDay() + 6) % 7]!]) {
        b.n++;
        b.sum += r;
        if (r > 0) b.wins++;
      }
    }
    s.hourOfDay.forEach((b, h) => expect(b).toEqual({ hour: h, count: hour[h]!.n, meanReturn: expect.closeTo(hour[h]!.sum / hour[h]!.n, 12), winShare: hour[h]!.wins / hour[h]!.n }));
    s.dayOfWeek.forEach((b, d) => expect(b).toEqual({ day: d + 1, count: day[d]!.n, meanReturn: expect.closeTo(day[d]!.sum / day[d]!.n, 12), winShare: day[d]!.wins / day[d]!.n }));
  });

  it('weekdays are right before 1970 too (daily bars Monday 1969-12-29 … Sunday 1970-01-04)', () => {
    const s = seasonality(closesSeries([1, 2, 3, 4, 5, 6, 7], { start: Date.UTC(1969, 11, 29), stepMs: DAY }));
    expect(s.dayOfWeek.map((b) => b.count)).toEqual([0, 1, 1, 1, 1, 1, 1]);
    expect(s.hourOfDay[0]!.count).toBe(6);
  });

  it('too few bars: every bucket present and empty', () => {
    const s = seasonality(closesSeries([42]));
    expect(s.hourOfDay.every((b) => b.count === 0)).toBe(true);
    expect(s.dayOfWeek.map((b) => b.day)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
