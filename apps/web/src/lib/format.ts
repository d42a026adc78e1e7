/**
 * Numbers as a trading terminal shows them. Amounts arrive as exact decimal strings; they are
 * formatted without going through floating point where that could change digits (grouping and
 * rounding are done on the string), so a price is shown exactly as the ledger has it.
 */

/** Rounds a plain decimal string to `digits` places (half away from zero) and groups thousands. */
export function formatDecimal(value: string | null | undefined, digits?: number): string {
  if (value === null || value === undefined || value === '') return '—';
  if (!/^-?\d+(\.\d+)?$/.test(value)) return value;
  const negative = value.startsWith('-');
  let [int = '0', frac = ''] = (negative ? value.slice(1) : value).split('.');
  if (digits !== undefined) {
    if (frac.length > digits) {
      const roundUp = Number(frac[digits]) >= 5;
      frac = frac.slice(0, digits);
      if (roundUp) ({ int, frac } = incrementLast(int, frac));
    }
    frac = frac.padEnd(digits, '0');
  }
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const isZero = /^0*$/.test(int + frac);
  return `${negative && !isZero ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

function incrementLast(int: string, frac: string): { int: string; frac: string } {
  const digits = (int + frac).split('').map(Number);
  let i = digits.length - 1;
  while (i >= 0) {
    if (digits[i]! < 9) {
      digits[i] = digits[i]! + 1;
      break;
    }
    digits[i] = 0;
    i--;
  }
  const all = (i < 0 ? '1' : '') + digits.join('');
  return { int: all.slice(0, all.length - frac.length) || '0', frac: all.slice(all.length - frac.length) };
}

/** `+12.50` / `-3.10` / `0.00`: P&L with an explicit sign. */
export function formatSigned(value: string | null | undefined, digits = 2): string {
  const s = formatDecimal(value, digits);
  return s === '—' || s.startsWith('-') || /^[0.,]+$/.test(s) ? s : `+${s}`;
}

/** `up` / `down` / `flat` for colouring a signed amount. */
export function direction(value: string | null | undefined): 'up' | 'down' | 'flat' {
  if (!value || !/[1-9]/.test(value)) return 'flat';
  return value.startsWith('-') ? 'down' : 'up';
}

/** Decimal places of a step such as a tick size "0.01" → 2. */
export function stepDigits(step: string | undefined): number | undefined {
  if (!step) return undefined;
  const frac = step.split('.')[1];
  return frac ? frac.replace(/0+$/, '').length : 0;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withDate}`;
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour12: false,
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    timeFormats.set(key, f);
  }
  return f;
}

/** `2026-11-29 00:51:06` in the user's time zone (ISO string or epoch ms). */
export function formatDateTime(at: string | number | null | undefined, timeZone = 'UTC'): string {
  if (at === null || at === undefined) return '—';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const parts = Object.fromEntries(formatter(timeZone, true).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** `00:51:06` in the user's time zone. */
export function formatTime(at: string | number | null | undefined, timeZone = 'UTC'): string {
  if (at === null || at === undefined) return '—';
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : formatter(timeZone, false).format(d);
}

/** `4 s`, `3 min`, `2 h` for ages and durations. */
export function formatAge(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/*
 * Analytics (backtest metrics, research statistics) arrive as floating-point numbers, not ledger
 * decimals; null means "not defined" (too few bars, no spread) and is shown as a dash.
 */
const numberFormats = new Map<number, Intl.NumberFormat>();
function numberFormat(digits: number): Intl.NumberFormat {
  let f = numberFormats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    numberFormats.set(digits, f);
  }
  return f;
}

/** `12,345.68`; `—` for null or a non-finite value. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : numberFormat(digits).format(value).replace(/^-(?=[0.,]+$)/, '');
}

/** A fraction as a percentage: 0.1234 → `12.34 %`. */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  const s = formatNumber(value === null || value === undefined ? value : value * 100, digits);
  return s === '—' ? s : `${s} %`;
}

/** `45 min`, `6.5 h`, `12.3 d`: a duration in milliseconds, in the largest unit that reads well. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const minutes = ms / 60_000;
  if (minutes < 90) return `${formatNumber(minutes, 0)} min`;
  const hours = minutes / 60;
  return hours < 48 ? `${formatNumber(hours, 1)} h` : `${formatNumber(hours / 24, 1)} d`;
}

/** `up` / `down` / `flat` for colouring a signed number. */
export function numberDirection(value: number | null | undefined): 'up' | 'down' | 'flat' {
  return value === null || value === undefined || value === 0 || !Number.isFinite(value) ? 'flat' : value > 0 ? 'up' : 'down';
}

/** Decimal places that show a price with about five significant digits: 16820.1 → 2, 0.0014134 → 7. */
export function priceDigits(price: number): number {
  if (!Number.isFinite(price) || price === 0) return 2;
  return Math.min(10, Math.max(2, 4 - Math.floor(Math.log10(Math.abs(price)))));
}
