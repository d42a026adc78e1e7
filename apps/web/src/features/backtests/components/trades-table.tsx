import type { BacktestResultView } from '@kestrel/contracts';
import { Pager } from '../../../components/ui/pager.tsx';
import { useSlicePages } from '../../../hooks/use-slice-pages.ts';
import { formatDateTime, formatNumber, numberDirection, priceDigits } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';

/**
 * A run's closed trades, oldest first, 50 to a page: entry and exit, size, P&L before and after
 * fees. Stored results keep the first 10,000 trades; the count says how many there were.
 */
export function TradesTable({ result }: { result: BacktestResultView }) {
  const pages = useSlicePages(result.trades, 50);
  const { timezone } = usePreferences();
  if (result.trades.length === 0) return <div className="state">No closed trades: the strategy did not enter and exit in this range.</div>;
  return (
    <>
      <div className="table-wrap">
        <table className="data" data-testid="backtest-trades">
          <thead>
            <tr>
              <th className="r">#</th>
              <th>Symbol</th>
              <th>Side</th>
              <th>Entry</th>
              <th className="r">Entry price</th>
              <th>Exit</th>
              <th className="r">Exit price</th>
              <th className="r">Size</th>
              <th className="r">Gross P&amp;L</th>
              <th className="r">Fees</th>
              <th className="r">Net P&amp;L</th>
              <th className="r">Bars</th>
            </tr>
          </thead>
          <tbody>
            {pages.rows.map((t, i) => {
              const digits = priceDigits(t.entryPrice);
              // Money in the quote currency, to the places its notional needs (0.00005 BTC, not 0.00).
              const money = priceDigits(t.entryPrice * t.size);
              return (
                <tr key={pages.offset + i} data-testid="backtest-trade-row">
                  <td className="r num muted">{pages.offset + i + 1}</td>
                  <td className="mono">{t.symbol}</td>
                  <td className={t.side === 'long' ? 'up' : 'down'}>{t.side}</td>
                  <td className="num">{formatDateTime(t.entryTime, timezone)}</td>
                  <td className="r num">{formatNumber(t.entryPrice, digits)}</td>
                  <td className="num">{formatDateTime(t.exitTime, timezone)}</td>
                  <td className="r num">{formatNumber(t.exitPrice, digits)}</td>
                  <td className="r num">{Number(t.size.toPrecision(8))}</td>
                  <td className={`r num ${numberDirection(t.pnlGross)}`}>{formatNumber(t.pnlGross, money)}</td>
                  <td className="r num">{formatNumber(t.commission, money)}</td>
                  <td className={`r num ${numberDirection(t.pnlNet)}`}>{formatNumber(t.pnlNet, money)}</td>
                  <td className="r num">{t.bars}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pager
        label="Trade pages"
        position={`${pages.position}${result.counts.trades > result.trades.length ? ` (the first ${result.trades.length.toLocaleString('en-US')} of ${result.counts.trades.toLocaleString('en-US')} are stored)` : ''}`}
        onPrevious={pages.previous}
        onNext={pages.next}
        previousLabel="Previous"
        nextLabel="Next"
      />
    </>
  );
}
