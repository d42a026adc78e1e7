import type { ResearchSeasonality } from '@kestrel/contracts';
import { BarChart, type Bar } from '../../../components/charts/index.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatPercent } from '../../../lib/format.ts';
import { useSeasonality } from '../api/get-seasonality.ts';
import type { ResearchView } from './research-controls.tsx';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

type Bucket = Omit<ResearchSeasonality['hourOfDay'][number], 'hour'>;
const bar = (key: string, label: string, b: Bucket): Bar => ({
  key,
  label,
  value: b.meanReturn,
  detail: b.count === 0 ? 'no returns' : `mean ${formatPercent(b.meanReturn, 4)} over ${b.count.toLocaleString('en-US')} returns, ${formatPercent(b.winShare, 0)} up`,
});

/** Mean bar return by UTC hour of day and by weekday: does the market lean one way at certain times? */
export function Seasonality({ view: w }: { view: ResearchView }) {
  const data = useSeasonality({ symbol: w.symbol, timeframe: w.timeframe, ...(w.from !== undefined ? { from: w.from } : {}), ...(w.to !== undefined ? { to: w.to } : {}) });
  return (
    <Panel title="Seasonality (UTC)" testId="research-seasonality">
      <QueryState query={data} isEmpty={(s) => s.bars < 2} empty="Too few bars in this range.">
        {(s) => (
          <div className="stack">
            <h3 className="form-section">Mean return by hour of day</h3>
            <BarChart bars={s.hourOfDay.map((b) => bar(`h${b.hour}`, String(b.hour).padStart(2, '0'), b))} label={`Mean return of ${s.symbol} by UTC hour of day`} format={(v) => formatPercent(v, 4)} testId="seasonality-hour" />
            <h3 className="form-section">Mean return by day of week</h3>
            <BarChart bars={s.dayOfWeek.map((b) => bar(`d${b.day}`, DAYS[b.day - 1] ?? String(b.day), b))} label={`Mean return of ${s.symbol} by day of week`} format={(v) => formatPercent(v, 4)} testId="seasonality-weekday" />
          </div>
        )}
      </QueryState>
    </Panel>
  );
}
