import type { BacktestMetricsView } from '@kestrel/contracts';
import { numberDirection } from '../../../lib/format.ts';
import { METRICS, SHOWN_METRICS } from './metrics.ts';

/** A result's metrics at a glance: returns coloured by their sign, undefined ones (no losing trade…) as a dash. */
export function MetricsCards({ metrics, currency }: { metrics: BacktestMetricsView; currency?: string | undefined }) {
  return (
    <div className="stats" data-testid="backtest-metrics">
      {SHOWN_METRICS.map((key) => {
        const m = METRICS[key];
        const v = metrics[key];
        const tone = m.signed ? numberDirection(v) : 'flat';
        return (
          <div key={key} className="stat" data-metric={key}>
            <div className="label">
              {m.label}
              {currency && (key === 'feesPaid' || key === 'finalValue') ? ` (${currency})` : ''}
            </div>
            <div className={`value ${tone === 'flat' ? '' : tone}`}>{m.format(v)}</div>
          </div>
        );
      })}
    </div>
  );
}
