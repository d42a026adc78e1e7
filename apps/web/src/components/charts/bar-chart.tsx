import { useId } from 'react';

export interface Bar {
  key: string;
  /** Under the bar (kept short: an hour, a weekday, a bin). */
  label: string;
  value: number | null;
  /** Colour: `up` and `down` for gains and losses; default by the sign of the value. */
  tone?: 'up' | 'down' | 'neutral';
  /** What hovering the bar (and the table) says about it. */
  detail: string;
}

/**
 * Bars for a few dozen categories (seasonality buckets, a histogram), drawn with CSS: positive
 * values rise from the zero line, negative ones hang below it. Each bar says its value on hover,
 * and the same numbers are one click away as a table for keyboards and screen readers.
 */
export function BarChart({ bars, label, format, testId }: { bars: Bar[]; label: string; format: (v: number) => string; testId?: string }) {
  const id = useId();
  const values = bars.map((b) => b.value ?? 0);
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const every = Math.max(1, Math.ceil(bars.length / 12));
  return (
    <figure className="bar-chart" data-testid={testId} aria-labelledby={id}>
      <figcaption id={id} className="sr-only">
        {label}
      </figcaption>
      <div className="bars" aria-hidden="true">
        <div className="bar-zero" style={{ top: `${(max / span) * 100}%` }} />
        {bars.map((b) => {
          const v = b.value ?? 0;
          const tone = b.tone ?? (v > 0 ? 'up' : v < 0 ? 'down' : 'neutral');
          return (
            <div key={b.key} className="bar-slot" title={b.detail} style={{ gridTemplateRows: `${max / span}fr ${-min / span}fr` }}>
              <div className={`bar bar-${tone}`} style={v >= 0 ? { gridRow: 1, alignSelf: 'end', height: `${max ? (v / max) * 100 : 0}%` } : { gridRow: 2, alignSelf: 'start', height: `${min ? (v / min) * 100 : 0}%` }} data-value={b.value ?? ''} />
            </div>
          );
        })}
      </div>
      <div className="bar-labels" aria-hidden="true" style={{ gridTemplateColumns: `repeat(${bars.length}, minmax(0, 1fr))` }}>
        {bars.map((b, i) => (
          <span key={b.key}>{i % every === 0 ? b.label : ''}</span>
        ))}
      </div>
      <details className="chart-table">
        <summary>Show as a table</summary>
        <table className="data">
          <caption className="sr-only">{label}</caption>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key}>
                <th scope="row">{b.label}</th>
                <td className="r num">{b.value === null ? '—' : format(b.value)}</td>
                <td className="muted">{b.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
