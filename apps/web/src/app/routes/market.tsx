import { useSearchParams } from 'react-router-dom';
import { CandleChart } from '../../components/charts/index.tsx';
import { Field } from '../../components/ui/field.tsx';
import { Panel } from '../../components/ui/panel.tsx';
import { QueryState } from '../../components/ui/states.tsx';
import { stepDigits } from '../../lib/format.ts';
import { useCandles } from '../../features/market/api/get-candles.ts';
import { useSymbols } from '../../features/market/api/get-symbols.ts';
import { OrderBook } from '../../features/market/components/order-book.tsx';
import { TickerCard } from '../../features/market/components/ticker-card.tsx';

/** One symbol: live chart, last price, and an order book snapshot. */
export default function MarketRoute() {
  const symbols = useSymbols();
  const [params, setParams] = useSearchParams();
  return (
    <QueryState query={symbols} isEmpty={(s) => s.items.length === 0} empty="The backend serves no market data (PAPER_MARKET=false and no venue feed).">
      {({ items }) => {
        const info = items.find((s) => s.symbol === params.get('symbol')) ?? items[0]!;
        const digits = stepDigits(info.tickSize);
        return (
          <>
            <div className="page-header">
              <h1>Market</h1>
              <Field label="Symbol">
                {(p) => (
                  <select {...p} value={info.symbol} onChange={(e) => setParams({ symbol: e.target.value })}>
                    {items.map((s) => (
                      <option key={s.symbol}>{s.symbol}</option>
                    ))}
                  </select>
                )}
              </Field>
              <span className="muted">
                {info.source.kind === 'replay' ? `replay of ${info.source.dataset} at ${info.source.speed}×` : `live from ${info.source.venue}`} · tick {info.tickSize} · lot {info.lotSize}
              </span>
            </div>
            <div className="grid">
              <div className="span-8">
                <MarketChart symbol={info.symbol} timeframe={info.timeframe} digits={digits} />
              </div>
              <div className="span-4 stack">
                <TickerCard symbol={info.symbol} />
                <OrderBook symbol={info.symbol} digits={digits} />
              </div>
            </div>
          </>
        );
      }}
    </QueryState>
  );
}

function MarketChart({ symbol, timeframe, digits }: { symbol: string; timeframe: string; digits: number | undefined }) {
  const candles = useCandles(symbol, timeframe);
  return (
    <Panel title={`${symbol} · ${timeframe} bars`} testId="market-chart">
      <QueryState query={candles} isEmpty={(c) => c.items.length === 0} empty="No bars yet.">
        {(c) => <CandleChart candles={c.items} digits={digits ?? 2} label={`${symbol} ${timeframe} candles`} />}
      </QueryState>
    </Panel>
  );
}
