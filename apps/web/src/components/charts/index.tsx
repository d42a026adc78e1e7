import { lazy, Suspense, type ComponentProps, type ReactNode } from 'react';
import { ErrorBoundary } from '../ui/error-boundary.tsx';
import { Loading } from '../ui/states.tsx';

export type { Candle, ChartLine, ChartMarker, LinePoint } from './types.ts';
export type { ChartSeries } from './series-chart.tsx';
export { BarChart, type Bar } from './bar-chart.tsx';
export { seriesColor } from './theme.ts';

// The charting library (lightweight-charts) stays out of the initial bundle: both charts load on first use.
const CandleChartImpl = lazy(() => import('./candle-chart.tsx'));
const SeriesChartImpl = lazy(() => import('./series-chart.tsx'));

function Lazy({ className, children }: { className: string; children: ReactNode }) {
  return (
    <ErrorBoundary label="The chart">
      <Suspense
        fallback={
          <div className={className}>
            <Loading label="Loading chart…" />
          </div>
        }
      >
        {children}
      </Suspense>
    </ErrorBoundary>
  );
}

/** Candles with fill markers and indicator lines. */
export function CandleChart(props: ComponentProps<typeof CandleChartImpl>) {
  return (
    <Lazy className={props.className ?? 'chart'}>
      <CandleChartImpl {...props} />
    </Lazy>
  );
}

/** Lines over time: equity curves, drawdown, several runs overlaid. */
export function SeriesChart(props: ComponentProps<typeof SeriesChartImpl>) {
  return (
    <Lazy className={props.className ?? 'chart small'}>
      <SeriesChartImpl {...props} />
    </Lazy>
  );
}
