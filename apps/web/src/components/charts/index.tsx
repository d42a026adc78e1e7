import { lazy, Suspense, type ComponentProps } from 'react';
import { ErrorBoundary } from '../ui/error-boundary.tsx';
import { Loading } from '../ui/states.tsx';

export type { Candle, ChartMarker } from './types.ts';

const CandleChartImpl = lazy(() => import('./candle-chart.tsx'));

/** The candle chart, loaded on first use (the charting library stays out of the initial bundle). */
export function CandleChart(props: ComponentProps<typeof CandleChartImpl>) {
  return (
    <ErrorBoundary label="The chart">
      <Suspense fallback={<div className={props.className ?? 'chart'}><Loading label="Loading chart…" /></div>}>
        <CandleChartImpl {...props} />
      </Suspense>
    </ErrorBoundary>
  );
}
