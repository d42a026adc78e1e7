import { useState } from 'react';
import { RESEARCH_MAX_SYMBOLS } from '@kestrel/contracts';
import { Panel } from '../../../components/ui/panel.tsx';
import { Empty, QueryState } from '../../../components/ui/states.tsx';
import { symbolsOf, type CoverageEntry } from '../../../lib/coverage.ts';
import { useCorrelation } from '../api/get-correlation.ts';
import { CorrelationHeatmap } from './correlation-heatmap.tsx';
import type { ResearchView } from './research-controls.tsx';

/**
 * Which symbols move together: pick 2 to 20 symbols stored at the view's timeframe (the
 * view's own symbol and the next ones at first); each pair is measured on the bars both have.
 */
export function CorrelationPanel({ coverage, view: w }: { coverage: CoverageEntry[]; view: ResearchView }) {
  const stored = symbolsOf(coverage, w.timeframe);
  const [picked, setPicked] = useState<string[] | null>(null);
  const chosen = (picked ?? [w.symbol, ...stored.filter((s) => s !== w.symbol)].slice(0, 5)).filter((s) => stored.includes(s));
  const toggle = (s: string, on: boolean) => setPicked(on ? [...chosen, s] : chosen.filter((x) => x !== s));
  const correlation = useCorrelation({ symbols: chosen, timeframe: w.timeframe, ...(w.from !== undefined ? { from: w.from } : {}), ...(w.to !== undefined ? { to: w.to } : {}) });
  return (
    <Panel title="Correlation of returns" testId="research-correlation">
      <div className="stack">
        <fieldset className="field">
          <legend className="label">Symbols ({w.timeframe})</legend>
          <div className="check-list">
            {stored.map((s) => (
              <label key={s} className="check">
                <input type="checkbox" checked={chosen.includes(s)} disabled={!chosen.includes(s) && chosen.length >= RESEARCH_MAX_SYMBOLS} onChange={(e) => toggle(s, e.target.checked)} />
                <span className="mono">{s}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {chosen.length < 2 ? <Empty>Pick at least two symbols.</Empty> : <QueryState query={correlation}>{(c) => <CorrelationHeatmap data={c} />}</QueryState>}
      </div>
    </Panel>
  );
}
