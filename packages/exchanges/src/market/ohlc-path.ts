/**
 * The path a price is assumed to take inside one bar, shared by the replay's intrabar ticks and
 * the matching engine's bar matching, so both see the same bar the same way:
 *
 *   open → the extreme nearer to the open → the other extreme → close
 *
 * Ties (open exactly halfway, or open equal to both extremes) go high first when the bar closes
 * below its open (O → H → L → C) and low first otherwise (O → L → H → C). Between these four
 * points the price moves monotonically.
 */
export function highFirst(open: number, high: number, low: number, close: number): boolean {
  const toHigh = high - open;
  const toLow = open - low;
  if (toHigh !== toLow) return toHigh < toLow;
  return close < open;
}

/**
 * Price of point `index` (0…3) of the path: open, first extreme, second extreme, close.
 */
export function pathPoint(open: number, high: number, low: number, close: number, hiFirst: boolean, index: number): number {
  switch (index) {
    case 0:
      return open;
    case 1:
      return hiFirst ? high : low;
    case 2:
      return hiFirst ? low : high;
    default:
      return close;
  }
}
