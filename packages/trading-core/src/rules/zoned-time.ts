/**
 * Local calendar time in an IANA time zone, from epoch ms, with DST handled by Intl. Formatters
 * are cached per zone, and the last result per zone is memoised for its minute (every zone's
 * offset is a whole number of minutes today), so repeated checks cost a map lookup.
 */
export interface LocalTime {
  /** Local date, `YYYY-MM-DD`. */
  readonly dateKey: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** Minutes since local midnight, 0–1439. */
  readonly minuteOfDay: number;
}

interface ZoneCache {
  readonly format: Intl.DateTimeFormat;
  minute: number;
  value: LocalTime | null;
}

const zones = new Map<string, ZoneCache>();
const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
export const WEEKDAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function zone(timeZone: string): ZoneCache {
  let z = zones.get(timeZone);
  if (z === undefined) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    z = { format, minute: NaN, value: null };
    zones.set(timeZone, z);
  }
  return z;
}

export function localTime(epochMs: number, timeZone: string): LocalTime {
  const z = zone(timeZone);
  const minute = Math.floor(epochMs / 60_000);
  if (z.minute === minute && z.value !== null) return z.value;
  let year = '';
  let month = '';
  let day = '';
  let hour = 0;
  let min = 0;
  let weekday = 0;
  for (const part of z.format.formatToParts(epochMs)) {
    switch (part.type) {
      case 'year':
        year = part.value;
        break;
      case 'month':
        month = part.value;
        break;
      case 'day':
        day = part.value;
        break;
      case 'hour':
        hour = Number(part.value) % 24;
        break;
      case 'minute':
        min = Number(part.value);
        break;
      case 'weekday':
        weekday = WEEKDAYS[part.value] ?? 0;
        break;
    }
  }
  const value: LocalTime = { dateKey: `${year.padStart(4, '0')}-${month}-${day}`, weekday, minuteOfDay: hour * 60 + min };
  z.minute = minute;
  z.value = value;
  return value;
}

/** The calendar day before a `YYYY-MM-DD` date, with its ISO weekday. */
export function previousDay(dateKey: string, weekday: number): { dateKey: string; weekday: number } {
  const [y, m, d] = dateKey.split('-').map(Number) as [number, number, number];
  const prev = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  return { dateKey: prev, weekday: weekday === 1 ? 7 : weekday - 1 };
}

/** `HH:MM` → minutes since midnight (`24:00` allowed as an end); null when malformed. */
export function parseClockTime(hhmm: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : null;
}

export function formatClockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
