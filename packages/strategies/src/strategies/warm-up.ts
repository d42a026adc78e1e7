import type { Candle, CandleWindow } from '@kestrel/trading-core';

/**
 * Feeds a strategy's indicators, on its first call, the candles the host already holds in
 * `ctx.candles` before the current one (oldest first), without deciding anything on them.
 *
 * A host that calls onCandle from the first candle on has only the current candle in the window
 * then, so nothing happens. A host that starts later (a live restart with history loaded, or one
 * that skips the calls before `warmup`) gets warmed-up indicators, hence the same decisions from
 * then on as a host that made every call, if the window reaches back far enough: `warmup`
 * candles for the SMAs and channels; Wilder's RSI remembers every candle (a candle's weight decays
 * as ((period − 1) / period)^age), so a window shorter than the whole history gives close, not
 * identical, values: keep ~10 × period candles for RSI. Skipped unless the window's newest candle
 * is the one being handled.
 */
export function warmUpFromWindow(window: CandleWindow, candle: Candle, feed: (window: CandleWindow, ago: number) => void): void {
  if (window.length < 2 || window.time(0) !== candle.time) return;
  for (let ago = window.length - 1; ago >= 1; ago--) feed(window, ago);
}
