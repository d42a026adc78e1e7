/**
 * Date-time inputs in UTC, as the API speaks it (stored bars have UTC open times): an
 * `<input type="datetime-local">` holds `2023-01-05T00:00`, which is read as UTC and sent as
 * `2023-01-05T00:00:00Z` — never shifted by the browser's time zone.
 */
const LOCAL_MINUTES = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** The input value for an epoch-ms time (minutes precision); '' for none. */
export function toUtcInput(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '' : new Date(ms).toISOString().slice(0, 16);
}

/** Epoch ms of an input value read as UTC; undefined when empty or not a date-time. */
export function fromUtcInput(value: string): number | undefined {
  const v = value.trim();
  if (!LOCAL_MINUTES.test(v)) return undefined;
  const ms = Date.parse(`${v}:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** What to send for an input: an ISO date-time with its zone, the text as typed when it is not one (the server says what is wrong), nothing when empty. */
export function utcInputToRequest(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  return LOCAL_MINUTES.test(v) ? `${v}:00Z` : v;
}
