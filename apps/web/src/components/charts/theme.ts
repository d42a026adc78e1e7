/**
 * The charts take their colours from the theme's CSS variables (tokens.css) and follow a switch
 * between light and dark while they are on screen.
 */
export function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

export function themeOptions(el: Element) {
  const border = cssVar(el, '--border');
  return {
    layout: { background: { color: cssVar(el, '--panel') }, textColor: cssVar(el, '--muted'), fontFamily: cssVar(el, '--mono'), fontSize: 11 },
    grid: { vertLines: { color: border }, horzLines: { color: border } },
    rightPriceScale: { borderColor: border },
    timeScale: { borderColor: border, timeVisible: true, secondsVisible: true },
  };
}

/** Calls `apply` whenever the theme attribute on <html> changes; returns the function that stops it. */
export function onThemeChange(apply: () => void): () => void {
  const observer = new MutationObserver(apply);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

/**
 * Colours for lines drawn next to each other (overlays, compared runs), readable on both themes
 * and apart from the up/down colours of candles.
 */
const SERIES_COLORS = ['#4c8dff', '#f0a53a', '#b06ee8', '#22b8cf', '#e8638c', '#8fbf4a', '#c9a227', '#7a8cff'] as const;
export const seriesColor = (i: number): string => SERIES_COLORS[i % SERIES_COLORS.length]!;
