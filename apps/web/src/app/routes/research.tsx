import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Panel } from '../../components/ui/panel.tsx';
import { QueryState } from '../../components/ui/states.tsx';
import { busiestTimeframe, NO_STORED_CANDLES, symbolsOf, type CoverageEntry } from '../../lib/coverage.ts';
import { useCoverage } from '../../features/market-data/api/get-coverage.ts';
import { useStoredCandles } from '../../features/market-data/api/get-stored-candles.ts';
import { CorrelationPanel } from '../../features/research/components/correlation-panel.tsx';
import { IndicatorChart } from '../../features/research/components/indicator-chart.tsx';
import { DEFAULT_OVERLAYS, OverlayEditor, type Overlay } from '../../features/research/components/overlays.tsx';
import { ResearchControls, type ResearchView } from '../../features/research/components/research-controls.tsx';
import { ReturnStats } from '../../features/research/components/return-stats.tsx';
import { Seasonality } from '../../features/research/components/seasonality.tsx';

/** Bars the chart shows at most: the last ones of the range. */
const CHART_BARS = 5_000;

/** Research over the stored candles (loaded on demand): indicators on the chart, return statistics, seasonality, correlation. */
export default function ResearchRoute() {
  const coverage = useCoverage();
  return (
    <>
      <div className="page-header">
        <h1>Research</h1>
      </div>
      <QueryState query={coverage} isEmpty={(c) => c.items.length === 0} empty={NO_STORED_CANDLES}>
        {(c) => <ResearchPage coverage={c.items} />}
      </QueryState>
    </>
  );
}

const num = (v: string | null) => (v === null || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));

/** The view (dataset and range) lives in the URL (`?symbol=&timeframe=&from=&to=`), so a view can be linked and survives a reload. */
function useView(coverage: CoverageEntry[]): [ResearchView, (v: ResearchView) => void] {
  const [params, setParams] = useSearchParams();
  const timeframe = params.get('timeframe') ?? busiestTimeframe(coverage);
  const symbols = symbolsOf(coverage, timeframe);
  const asked = params.get('symbol');
  const view: ResearchView = { symbol: asked && symbols.includes(asked) ? asked : (symbols[0] ?? ''), timeframe, from: num(params.get('from')), to: num(params.get('to')) };
  const set = (w: ResearchView) =>
    setParams({ symbol: w.symbol, timeframe: w.timeframe, ...(w.from !== undefined ? { from: String(w.from) } : {}), ...(w.to !== undefined ? { to: String(w.to) } : {}) }, { replace: true });
  return [view, set];
}

function ResearchPage({ coverage }: { coverage: CoverageEntry[] }) {
  const [w, setView] = useView(coverage);
  const [overlays, setOverlays] = useState<Overlay[]>(DEFAULT_OVERLAYS);
  // The last bars before `to`, cut at `from`: the end of the range is what one looks at first.
  const candles = useStoredCandles({ symbol: w.symbol, timeframe: w.timeframe, ...(w.to !== undefined ? { to: w.to } : {}), limit: CHART_BARS });
  const shown = useMemo(() => (candles.data?.items ?? []).filter((c) => w.from === undefined || c.time >= w.from), [candles.data, w.from]);
  // One object per view for the panels (their memos), not one per render.
  const view = useMemo(() => w, [w.symbol, w.timeframe, w.from, w.to]);
  return (
    <div className="stack">
      <ResearchControls coverage={coverage} view={view} onChange={setView} />
      <div className="grid">
        <div className="span-8">
          <Panel title={`${w.symbol} · ${w.timeframe}${shown.length >= CHART_BARS ? ` · the last ${CHART_BARS.toLocaleString('en-US')} bars of the range` : ''}`} testId="research-chart">
            <div className="stack">
              <OverlayEditor overlays={overlays} onChange={setOverlays} />
              <QueryState query={candles} isEmpty={() => shown.length === 0} empty="No bars in this range.">
                {() => <IndicatorChart candles={shown} view={view} overlays={overlays} />}
              </QueryState>
            </div>
          </Panel>
        </div>
        <div className="span-4">
          <ReturnStats view={view} />
        </div>
        <div className="span-6">
          <Seasonality view={view} />
        </div>
        <div className="span-6">
          <CorrelationPanel key={w.timeframe} coverage={coverage} view={view} />
        </div>
      </div>
    </div>
  );
}
