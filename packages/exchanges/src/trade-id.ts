const DIGITS = /^\d+$/;

/**
 * Orders trade ids: numerically when both are digit strings (so "10" > "9", as venues number
 * them), otherwise by plain string order. Negative if a < b.
 */
export function compareTradeIds(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
