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
  /** UTC itself (or an alias): the offset is 0 at every instant, Intl need not be asked. */
  readonly utc: boolean;
  /** The 15-minute bucket whose UTC offset is cached (time zones change offset only on such boundaries). */
  bucket: number;
  offsetMs: number;
  /** Offsets of other buckets asked for recently (entry times of the last days, say). */
  readonly offsets: Map<number, number>;
  minute: number;
  value: LocalTime | null;
  /** The last local day number formatted, and its `YYYY-MM-DD`. */
  day: number;
  dayKey: string;
}

const UTC_ZONES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);
const OFFSETS_MAX = 1024;

const zones = new Map<string, ZoneCache>();
export const WEEKDAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const BUCKET_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

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
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    const utc = UTC_ZONES.has(timeZone) || UTC_ZONES.has(format.resolvedOptions().timeZone);
    z = { format, utc, bucket: NaN, offsetMs: 0, offsets: new Map(), minute: NaN, value: null, day: NaN, dayKey: '' };
    zones.set(timeZone, z);
  }
  return z;
}

/**
 * The zone's UTC offset at `epochMs`. Intl is asked once per 15-minute bucket (DST and other
 * offset changes happen on such boundaries), so a backtest over millions of bars calls it rarely.
 */
function offsetMs(z: ZoneCache, epochMs: number): number {
  if (z.utc) return 0;
  const bucket = Math.floor(epochMs / BUCKET_MS);
  if (bucket === z.bucket) return z.offsetMs;
  const known = z.offsets.get(bucket);
  if (known !== undefined) {
    z.bucket = bucket;
    z.offsetMs = known;
    return known;
  }
  const t = bucket * BUCKET_MS;
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  for (const part of z.format.formatToParts(t)) {
    if (part.type === 'year') y = Number(part.value);
    else if (part.type === 'month') mo = Number(part.value);
    else if (part.type === 'day') d = Number(part.value);
    else if (part.type === 'hour') h = Number(part.value) % 24;
    else if (part.type === 'minute') mi = Number(part.value);
  }
  z.bucket = bucket;
  z.offsetMs = Date.UTC(y, mo - 1, d, h, mi) - t;
  if (z.offsets.size >= OFFSETS_MAX) z.offsets.clear();
  z.offsets.set(bucket, z.offsetMs);
  return z.offsetMs;
}

/** `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian; Hinnant's civil_from_days). */
function dateKeyOfDays(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

export function localTime(epochMs: number, timeZone: string): LocalTime {
  const z = zone(timeZone);
  const minute = Math.floor(epochMs / 60_000);
  if (z.minute === minute && z.value !== null) return z.value;
  const local = epochMs + offsetMs(z, epochMs);
  const days = Math.floor(local / DAY_MS);
  if (days !== z.day) {
    z.day = days;
    z.dayKey = dateKeyOfDays(days);
  }
  const value: LocalTime = {
    dateKey: z.dayKey,
    // 1970-01-01 was a Thursday (ISO 4).
    weekday: ((((days + 3) % 7) + 7) % 7) + 1,
    minuteOfDay: Math.floor((local - days * DAY_MS) / 60_000),
  };
  z.minute = minute;
  z.value = value;
  return value;
}

/**
 * The local calendar day of `epochMs` as a day count since 1970-01-01: two instants are on the
 * same local date exactly when their day numbers are equal (no date string is built).
 */
export function localDayNumber(epochMs: number, timeZone: string): number {
  const z = zone(timeZone);
  return Math.floor((epochMs + offsetMs(z, epochMs)) / DAY_MS);
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
