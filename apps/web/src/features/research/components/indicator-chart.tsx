import { useMemo } from 'react';
import { CandleChart, type Candle, type ChartLine } from '../../../components/charts/index.tsx';
import { timeframeMs } from '../../../components/charts/timeframe.ts';
import { priceDigits } from '../../../lib/format.ts';
import { useIndicators } from '../api/get-indicators.ts';
import { overlayLines, overlayName, overlayQuery, type Overlay } from './overlays.tsx';
import type { ResearchView } from './research-controls.tsx';

/**
 * The candles of the view with the chosen indicators over them, each computed by the server
 * with the strategies' own indicator code (so the line is what a strategy saw). A refused
 * indicator (say a period of 0) says why under the chart; the others still show.
 */
export function IndicatorChart({ candles, view: w, overlays }: { candles: Candle[]; view: ResearchView; overlays: Overlay[] }) {
  const first = candles[0]?.time;
  const barMs = timeframeMs(w.timeframe);
  const queries = useMemo(() => (first === undefined ? [] : overlays.map((o) => overlayQuery(o, w, first, barMs))), [overlays, w, first, barMs]);
  const { series, errors } = useIndicators(queries);
  const lines = useMemo<ChartLine[]>(() => {
    if (first === undefined) return [];
    // Only the part over the candles shown: the warm-up bars before them would stretch the time axis.
    return overlays.flatMap((o, i) => (series[i] ? overlayLines(o, series[i], i).map((l) => ({ ...l, points: l.points.filter((p) => p.time >= first) })) : []));
  }, [overlays, first, series]);
  const failures = overlays.flatMap((o, i) => (errors[i] ? [`${overlayName(o)}: ${errors[i].message}`] : []));
  return (
    <>
      <CandleChart candles={candles} lines={lines} digits={priceDigits(candles[candles.length - 1]?.close ?? 1)} label={`${w.symbol} ${w.timeframe} candles`} />
      {failures.length > 0 && (
        <div className="alert alert-error" role="alert">
          {failures.join(' · ')}
        </div>
      )}
    </>
  );
}
