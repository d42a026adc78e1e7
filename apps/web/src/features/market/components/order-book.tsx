import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatDecimal } from '../../../lib/format.ts';
import { useOrderBook } from '../api/get-order-book.ts';

/** Bids and asks side by side, best first, with depth bars scaled to the largest level. */
export function OrderBook({ symbol, digits }: { symbol: string; digits: number | undefined }) {
  const book = useOrderBook(symbol);
  return (
    <Panel title={`Order book · ${symbol}`} testId="order-book">
      <QueryState query={book} isEmpty={(b) => b.bids.length === 0 && b.asks.length === 0} empty="The book is empty.">
        {(b) => {
          const max = Math.max(...[...b.bids, ...b.asks].map(([, q]) => Number(q)), 1);
          return (
            <div className="book">
              <Side label="Bids" levels={b.bids} max={max} tone="up" digits={digits} />
              <Side label="Asks" levels={b.asks} max={max} tone="down" digits={digits} />
            </div>
          );
        }}
      </QueryState>
    </Panel>
  );
}

function Side({ label, levels, max, tone, digits }: { label: string; levels: Array<[string, string]>; max: number; tone: 'up' | 'down'; digits: number | undefined }) {
  return (
    <table className="data" aria-label={label}>
      <thead>
        <tr>
          <th>{label === 'Bids' ? 'Bid' : 'Ask'}</th>
          <th className="r">Size</th>
        </tr>
      </thead>
      <tbody>
        {levels.map(([price, qty]) => (
          <tr key={price}>
            <td className={`num ${tone}`} style={{ background: `linear-gradient(to ${tone === 'up' ? 'left' : 'right'}, var(--${tone}-soft) ${(Number(qty) / max) * 100}%, transparent 0)` }}>
              {formatDecimal(price, digits)}
            </td>
            <td className="num r">{formatDecimal(qty)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
