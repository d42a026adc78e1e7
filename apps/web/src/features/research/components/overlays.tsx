import { useState, type FormEvent } from 'react';
import { RESEARCH_INDICATORS, type ResearchIndicatorSeries } from '@kestrel/contracts';
import type { ResearchIndicatorQuery } from '@kestrel/api-client';
import { seriesColor, type ChartLine } from '../../../components/charts/index.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';

export type Indicator = (typeof RESEARCH_INDICATORS)[number];

/** An indicator drawn over the candles (or, for oscillators, in a pane below them). */
export interface Overlay {
  indicator: Indicator;
  period: number;
}

export const DEFAULT_OVERLAYS: Overlay[] = [
  { indicator: 'sma', period: 20 },
  { indicator: 'donchian', period: 20 },
];

const NAMES: Record<Indicator, string> = { sma: 'SMA', ema: 'EMA', rsi: 'RSI', 'rolling-max': 'Rolling max', 'rolling-min': 'Rolling min', atr: 'ATR', donchian: 'Donchian' };
/** Not on the price scale: drawn in their own pane. */
const OSCILLATORS = new Set<Indicator>(['rsi', 'atr']);

export const overlayName = (o: Overlay) => `${NAMES[o.indicator]} ${o.period}`;
const overlayKey = (o: Overlay) => `${o.indicator}-${o.period}`;

/** The query for an overlay over the chart's bars: it starts `period` bars earlier, so the line is defined from the first bar shown. */
export function overlayQuery(o: Overlay, dataset: { symbol: string; timeframe: string; to: number | undefined }, firstBar: number, barMs: number): ResearchIndicatorQuery {
  return { symbol: dataset.symbol, timeframe: dataset.timeframe, indicator: o.indicator, period: o.period, from: Math.max(0, firstBar - o.period * barMs), ...(dataset.to !== undefined ? { to: dataset.to } : {}) };
}

/** The chart lines of one overlay's series: `value`, or the three Donchian bands. */
export function overlayLines(o: Overlay, series: ResearchIndicatorSeries, index: number): ChartLine[] {
  return Object.entries(series.lines).map(([name, values]) => ({
    id: `${overlayKey(o)}-${name}`,
    label: name === 'value' ? overlayName(o) : `${overlayName(o)} ${name}`,
    color: seriesColor(index),
    pane: OSCILLATORS.has(o.indicator) ? 1 : 0,
    points: series.time.map((time, i) => ({ time, value: values[i] ?? null })),
  }));
}

/** The overlays as removable chips, and a small form to add one (indicator and period). */
export function OverlayEditor({ overlays, onChange }: { overlays: Overlay[]; onChange: (o: Overlay[]) => void }) {
  const [indicator, setIndicator] = useState<Indicator>('ema');
  const [period, setPeriod] = useState('50');
  const add = (e: FormEvent) => {
    e.preventDefault();
    const next = { indicator, period: Number(period) };
    if (!overlays.some((o) => overlayKey(o) === overlayKey(next))) onChange([...overlays, next]);
  };
  return (
    <div className="overlay-editor">
      <ul className="chips" aria-label="Indicators on the chart">
        {overlays.map((o, i) => (
          <li key={overlayKey(o)}>
            <span className="swatch" style={{ background: seriesColor(i) }} aria-hidden="true" />
            {overlayName(o)}
            <button type="button" className="chip-remove" aria-label={`Remove ${overlayName(o)}`} onClick={() => onChange(overlays.filter((x) => x !== o))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={add} aria-label="Add an indicator">
        <Field label="Indicator">
          {(p) => (
            <select {...p} value={indicator} onChange={(e) => setIndicator(e.target.value as Indicator)}>
              {RESEARCH_INDICATORS.map((i) => (
                <option key={i} value={i}>
                  {NAMES[i]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Period">
          {(p) => <input {...p} type="number" min={1} step={1} value={period} onChange={(e) => setPeriod(e.target.value)} />}
        </Field>
        <Button type="submit">Add</Button>
      </form>
    </div>
  );
}
