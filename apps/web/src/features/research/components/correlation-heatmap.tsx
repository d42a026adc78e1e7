import type { CSSProperties } from 'react';
import type { ResearchCorrelation } from '@kestrel/contracts';
import { formatNumber } from '../../../lib/format.ts';

/** How strongly a cell is coloured (0 to 0.85 of the full colour; the CSS picks blue or red by its sign). */
function cellStyle(v: number | null): CSSProperties | undefined {
  return v === null ? undefined : ({ '--strength': (Math.min(1, Math.abs(v)) * 0.85).toFixed(3) } as CSSProperties);
}

/**
 * The correlation matrix as a heatmap that is also a plain table: row and column headers name the
 * symbols, each cell shows its value (to two places) and says on hover how many common returns it
 * rests on; a pair without enough common bars is a dash. Screen readers read it as the table it is.
 */
export function CorrelationHeatmap({ data }: { data: ResearchCorrelation }) {
  const { symbols, matrix, overlap } = data;
  return (
    <div className="heatmap-wrap">
      <table className="heatmap" data-testid="correlation-heatmap">
        <caption className="sr-only">Correlation of {data.timeframe} returns between {symbols.join(', ')}: 1 moves together, −1 opposite, 0 unrelated</caption>
        <thead>
          <tr>
            <td className="corner" />
            {symbols.map((s) => (
              <th key={s} scope="col" className="mono">
                {s}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {symbols.map((row, i) => (
            <tr key={row}>
              <th scope="row" className="mono">
                {row}
              </th>
              {symbols.map((col, j) => {
                const v = matrix[i]?.[j] ?? null;
                const n = overlap[i]?.[j] ?? 0;
                return (
                  <td
                    key={col}
                    className={v !== null && Math.abs(v) >= 0.6 ? 'num strong' : 'num'}
                    style={cellStyle(v)}
                    data-value={v ?? ''}
                    data-sign={v === null ? 'none' : v >= 0 ? 'positive' : 'negative'}
                    title={`${row} × ${col}: ${v === null ? `not defined (${n} common returns)` : `${formatNumber(v, 3)} over ${n.toLocaleString('en-US')} common returns`}`}
                  >
                    {formatNumber(v, 2)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="heatmap-scale" aria-hidden="true">
        <span>−1</span>
        <span className="heatmap-gradient" />
        <span>+1</span>
      </div>
    </div>
  );
}
