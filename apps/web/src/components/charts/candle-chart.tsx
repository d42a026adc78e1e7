import { useEffect, useRef } from 'react';
import { CandlestickSeries, createChart, createSeriesMarkers, type IChartApi, type ISeriesApi, type ISeriesMarkersPluginApi, type SeriesMarker, type Time, type UTCTimestamp } from 'lightweight-charts';
import type { Candle, ChartMarker } from './types.ts';

/**
 * Candles with fill markers (lightweight-charts, loaded only with the pages that chart). New bars
 * are appended with `update`, so a live chart keeps the user's zoom and scroll; a different series
 * (another symbol, a refetch that changed history) is set anew. Colours follow the theme.
 */
export default function CandleChart({ candles, markers = [], digits = 2, label, className = 'chart' }: { candles: Candle[]; markers?: ChartMarker[]; digits?: number; label: string; className?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApi; series: ISeriesApi<'Candlestick'>; markers: ISeriesMarkersPluginApi<Time>; shown: Candle[] } | null>(null);

  useEffect(() => {
    const container = el.current!;
    const api = createChart(container, { autoSize: true, ...themeOptions(container) });
    const series = api.addSeries(CandlestickSeries, seriesColors(container));
    chart.current = { api, series, markers: createSeriesMarkers(series, []), shown: [] };
    // The theme is an attribute on <html>: recolour when it changes.
    const observer = new MutationObserver(() => {
      api.applyOptions(themeOptions(container));
      series.applyOptions(seriesColors(container));
    });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      observer.disconnect();
      api.remove();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.series.applyOptions({ priceFormat: { type: 'price', precision: digits, minMove: 10 ** -digits } });
  }, [digits]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const prev = c.shown;
    const appended = prev.length > 0 && candles.length >= prev.length && candles[prev.length - 1]?.time === prev[prev.length - 1]?.time && candles[0]?.time === prev[0]?.time;
    if (appended) {
      for (const bar of candles.slice(prev.length - 1)) c.series.update(toBar(bar));
    } else {
      c.series.setData(candles.map(toBar));
      if (candles.length) c.api.timeScale().scrollToRealTime();
    }
    c.shown = candles;
  }, [candles]);

  useEffect(() => {
    const c = chart.current;
    if (!c || candles.length === 0) return;
    const first = candles[0]!.time;
    const last = candles[candles.length - 1]!.time;
    const inRange = markers.filter((m) => m.time >= first && m.time <= last).sort((a, b) => a.time - b.time);
    c.markers.setMarkers(inRange.map(toMarker));
  }, [markers, candles]);

  const lastClose = candles[candles.length - 1]?.close;
  return (
    <div
      ref={el}
      className={className}
      role="img"
      aria-label={`${label}${lastClose !== undefined ? `, last close ${lastClose.toFixed(digits)}` : ''}, ${markers.length} fill marker${markers.length === 1 ? '' : 's'}`}
      data-testid="candle-chart"
      data-bars={candles.length}
      data-markers={markers.length}
    />
  );
}

const toBar = (c: Candle) => ({ time: (c.time / 1000) as UTCTimestamp, open: c.open, high: c.high, low: c.low, close: c.close });

function toMarker(m: ChartMarker): SeriesMarker<Time> {
  const buy = m.side === 'buy';
  return { time: (m.time / 1000) as UTCTimestamp, position: buy ? 'belowBar' : 'aboveBar', shape: buy ? 'arrowUp' : 'arrowDown', color: cssVar(document.documentElement, buy ? '--up' : '--down'), text: m.text };
}

function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

function themeOptions(el: Element) {
  const border = cssVar(el, '--border');
  return {
    layout: { background: { color: cssVar(el, '--panel') }, textColor: cssVar(el, '--muted'), fontFamily: cssVar(el, '--mono'), fontSize: 11 },
    grid: { vertLines: { color: border }, horzLines: { color: border } },
    rightPriceScale: { borderColor: border },
    timeScale: { borderColor: border, timeVisible: true, secondsVisible: true },
  };
}

function seriesColors(el: Element) {
  const up = cssVar(el, '--up');
  const down = cssVar(el, '--down');
  return { upColor: up, downColor: down, wickUpColor: up, wickDownColor: down, borderVisible: false };
}
