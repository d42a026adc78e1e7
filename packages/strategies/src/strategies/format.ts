/**
 * Numbers for reasons: `digits` significant digits (never fewer than the integer part has),
 * without trailing zeros. toPrecision plus a trim: this runs on every signal, so no round trip
 * through Number.
 */
export function formatNumber(x: number, digits = 6): string {
  const ax = Math.abs(x);
  if (!(ax >= 1e-7 && ax < 1e21)) return String(x === 0 ? 0 : Number(x.toPrecision(digits)));
  const intDigits = ax >= 1 ? Math.floor(Math.log10(ax)) + 1 : 1;
  const s = x.toPrecision(Math.min(100, Math.max(digits, intDigits)));
  if (s.indexOf('e') >= 0) return String(Number(s));
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--; // '0'
  if (s.charCodeAt(end - 1) === 46) end--; // '.'
  return s.slice(0, end);
}

/** Formats a and b with the fewest significant digits (at least 6) that tell them apart. */
export function formatPair(a: number, b: number): [string, string] {
  let digits = 6;
  let sa = formatNumber(a, digits);
  let sb = formatNumber(b, digits);
  while (sa === sb && a !== b && digits < 17) {
    digits++;
    sa = formatNumber(a, digits);
    sb = formatNumber(b, digits);
  }
  return [sa, sb];
}
