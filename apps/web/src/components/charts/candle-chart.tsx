import { useEffect, useRef } from 'react';
import { CandlestickSeries, createChart, createSeriesMarkers, LineSeries, type IChartApi, type ISeriesApi, type ISeriesMarkersPluginApi, type SeriesMarker, type Time, type UTCTimestamp } from 'lightweight-charts';
import { ChartLegend } from './legend.tsx';
import { cssVar, onThemeChange, themeOptions } from './theme.ts';
import { toLineData, type Candle, type ChartLine, type ChartMarker } from './types.ts';

/**
 * Candles with fill markers and optional lines over them (indicators; `pane: 1` puts an oscillator
 * in a pane below), on lightweight-charts, loaded only with the pages that chart. New bars are
 * appended with `update`, so a live chart keeps the user's zoom and scroll; a different series
 * (another symbol, a refetch that changed history) is set anew. Colours follow the theme.
 */
export default function CandleChart({ candles, markers = [], lines = [], digits = 2, label, className = 'chart' }: { candles: Candle[]; markers?: ChartMarker[]; lines?: ChartLine[]; digits?: number; label: string; className?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApi; series: ISeriesApi<'Candlestick'>; markers: ISeriesMarkersPluginApi<Time>; shown: Candle[]; lines: Map<string, ISeriesApi<'Line'>> } | null>(null);

  useEffect(() => {
    const container = el.current!;
    const api = createChart(container, { autoSize: true, ...themeOptions(container) });
    const series = api.addSeries(CandlestickSeries, seriesColors(container));
    chart.current = { api, series, markers: createSeriesMarkers(series, []), shown: [], lines: new Map() };
    const stop = onThemeChange(() => {
      api.applyOptions(themeOptions(container));
      series.applyOptions(seriesColors(container));
    });
    return () => {
      stop();
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

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const wanted = new Set(lines.map((l) => l.id));
    for (const [id, s] of c.lines) {
      if (!wanted.has(id)) {
        c.api.removeSeries(s);
        c.lines.delete(id);
      }
    }
    for (const line of lines) {
      let s = c.lines.get(line.id);
      if (!s) {
        s = c.api.addSeries(LineSeries, { lineWidth: 1, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false }, line.pane ?? 0);
        c.lines.set(line.id, s);
      }
      s.applyOptions({ color: line.color, priceFormat: { type: 'price', precision: line.pane ? 2 : digits, minMove: 10 ** -(line.pane ? 2 : digits) } });
      s.setData(toLineData(line.points));
    }
  }, [lines, digits]);

  const lastClose = candles[candles.length - 1]?.close;
  return (
    <>
      {lines.length > 0 && <ChartLegend lines={lines} />}
      <div
        ref={el}
        className={className}
        role="img"
        aria-label={`${label}${lastClose !== undefined ? `, last close ${lastClose.toFixed(digits)}` : ''}, ${markers.length} fill marker${markers.length === 1 ? '' : 's'}${lines.length ? `, with ${lines.map((l) => l.label).join(', ')}` : ''}`}
        data-testid="candle-chart"
        data-bars={candles.length}
        data-markers={markers.length}
        data-lines={lines.length}
      />
    </>
  );
}

const toBar = (c: Candle) => ({ time: (c.time / 1000) as UTCTimestamp, open: c.open, high: c.high, low: c.low, close: c.close });

function toMarker(m: ChartMarker): SeriesMarker<Time> {
  const buy = m.side === 'buy';
  return { time: (m.time / 1000) as UTCTimestamp, position: buy ? 'belowBar' : 'aboveBar', shape: buy ? 'arrowUp' : 'arrowDown', color: cssVar(document.documentElement, buy ? '--up' : '--down'), text: m.text };
}

function seriesColors(el: Element) {
  const up = cssVar(el, '--up');
  const down = cssVar(el, '--down');
  return { upColor: up, downColor: down, wickUpColor: up, wickDownColor: down, borderVisible: false };
}
