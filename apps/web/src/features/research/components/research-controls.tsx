import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { timeframeMs } from '../../../components/charts/timeframe.ts';
import { symbolsOf, timeframesOf, type CoverageEntry } from '../../../lib/coverage.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { fromUtcInput, toUtcInput } from '../../../lib/time-input.ts';

/** What the research page looks at: one stored dataset and a range of it (from ≤ bar open time < to; open ends: the whole dataset). */
export interface ResearchView {
  symbol: string;
  timeframe: string;
  from: number | undefined;
  to: number | undefined;
}

/**
 * Picks the dataset and range from what is stored (GET /api/market-data/coverage): timeframe,
 * symbol, from and to in UTC, and quick ranges counted in bars back from the last stored one.
 */
export function ResearchControls({ coverage, view: w, onChange }: { coverage: CoverageEntry[]; view: ResearchView; onChange: (w: ResearchView) => void }) {
  const stored = coverage.find((c) => c.symbol === w.symbol && c.timeframe === w.timeframe);
  const lastBars = (n: number) => stored && onChange({ ...w, from: stored.last - (n - 1) * timeframeMs(w.timeframe), to: undefined });
  const chooseTimeframe = (timeframe: string) => {
    const symbols = symbolsOf(coverage, timeframe);
    onChange({ symbol: symbols.includes(w.symbol) ? w.symbol : (symbols[0] ?? ''), timeframe, from: undefined, to: undefined });
  };
  return (
    <div className="filters research-controls" role="group" aria-label="Dataset and range">
      <Field label="Timeframe">
        {(p) => (
          <select {...p} value={w.timeframe} onChange={(e) => chooseTimeframe(e.target.value)}>
            {timeframesOf(coverage).map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Symbol">
        {(p) => (
          <select {...p} value={w.symbol} onChange={(e) => onChange({ ...w, symbol: e.target.value, from: undefined, to: undefined })}>
            {symbolsOf(coverage, w.timeframe).map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="From (UTC)">
        {(p) => <input {...p} type="datetime-local" step={60} value={toUtcInput(w.from)} onChange={(e) => onChange({ ...w, from: fromUtcInput(e.target.value) })} />}
      </Field>
      <Field label="To (UTC)">
        {(p) => <input {...p} type="datetime-local" step={60} value={toUtcInput(w.to)} onChange={(e) => onChange({ ...w, to: fromUtcInput(e.target.value) })} />}
      </Field>
      <div className="btn-group">
        <Button onClick={() => lastBars(1_000)} disabled={!stored}>
          Last 1,000 bars
        </Button>
        <Button onClick={() => lastBars(5_000)} disabled={!stored}>
          Last 5,000 bars
        </Button>
        <Button onClick={() => onChange({ ...w, from: undefined, to: undefined })} disabled={w.from === undefined && w.to === undefined}>
          Whole dataset
        </Button>
      </div>
      {stored && (
        <span className="muted">
          stored {formatDateTime(stored.first)} → {formatDateTime(stored.last)} UTC · {stored.bars.toLocaleString('en-US')} bars · {stored.gapCount} gaps{stored.public ? '' : ' · your own import'}
        </span>
      )}
    </div>
  );
}
