import { useEffect, useRef } from 'react';
import { BaselineSeries, createChart, LineSeries, type IChartApi, type ISeriesApi } from 'lightweight-charts';
import { ChartLegend } from './legend.tsx';
import { cssVar, onThemeChange, themeOptions } from './theme.ts';
import { toLineData, type ChartLine } from './types.ts';

/** A line, or `baseline`: filled between the line and 0 (green above, red below), for a drawdown or a return. */
export interface ChartSeries extends ChartLine {
  kind?: 'line' | 'baseline';
}

type AnySeries = ISeriesApi<'Line'> | ISeriesApi<'Baseline'>;

/**
 * Lines over time on one scale (equity curves, drawdown, several runs overlaid), on
 * lightweight-charts, loaded on demand. Values are shown as numbers or, with `format="percent"`,
 * fractions as percentages. The view fits all the data whenever it changes.
 */
export default function SeriesChart({ series, format = 'number', digits = 2, label, className = 'chart small' }: { series: ChartSeries[]; format?: 'number' | 'percent'; digits?: number; label: string; className?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApi; series: Map<string, AnySeries> } | null>(null);

  useEffect(() => {
    const container = el.current!;
    const api = createChart(container, { autoSize: true, ...themeOptions(container) });
    chart.current = { api, series: new Map() };
    const stop = onThemeChange(() => api.applyOptions(themeOptions(container)));
    return () => {
      stop();
      api.remove();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    for (const s of c.series.values()) c.api.removeSeries(s);
    c.series.clear();
    const root = document.documentElement;
    const priceFormat = { type: 'custom' as const, minMove: 10 ** -(digits + 6), formatter: (v: number) => formatValue(v, format, digits) };
    for (const s of series) {
      const common = { priceFormat, title: s.label, lineWidth: 2 as const, priceLineVisible: false };
      const api: AnySeries =
        s.kind === 'baseline'
          ? c.api.addSeries(BaselineSeries, {
              ...common,
              baseValue: { type: 'price', price: 0 },
              topLineColor: cssVar(root, '--up'),
              topFillColor1: cssVar(root, '--up-soft'),
              topFillColor2: cssVar(root, '--up-soft'),
              bottomLineColor: cssVar(root, '--down'),
              bottomFillColor1: cssVar(root, '--down-soft'),
              bottomFillColor2: cssVar(root, '--down-soft'),
            })
          : c.api.addSeries(LineSeries, { ...common, color: s.color });
      api.setData(toLineData(s.points));
      c.series.set(s.id, api);
    }
    c.api.timeScale().fitContent();
  }, [series, format, digits]);

  const describe = (s: ChartSeries) => {
    const last = [...s.points].reverse().find((p) => p.value !== null)?.value;
    return last === undefined || last === null ? s.label : `${s.label} ends at ${formatValue(last, format, digits)}`;
  };
  return (
    <>
      {series.length > 1 && <ChartLegend lines={series} />}
      <div ref={el} className={className} role="img" aria-label={`${label}: ${series.map(describe).join('; ')}`} data-testid="series-chart" data-series={series.length} />
    </>
  );
}

/** `12.35 %`, or for values too small for `digits` places two significant digits (`0.00041 %`), so a flat-looking curve still reads. */
function formatValue(v: number, format: 'number' | 'percent', digits: number): string {
  const x = format === 'percent' ? v * 100 : v;
  const text = x === 0 || Math.abs(x) >= 10 ** -digits ? x.toFixed(digits) : x.toPrecision(2);
  return format === 'percent' ? `${text} %` : text;
}
