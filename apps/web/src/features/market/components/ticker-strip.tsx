import { Link } from 'react-router-dom';
import { useSymbols } from '../api/get-symbols.ts';
import { useTicker } from '../api/get-ticker.ts';
import { formatDecimal, stepDigits } from '../../../lib/format.ts';

/** Every served symbol's last price in the top bar, live. */
export function TickerStrip() {
  const symbols = useSymbols();
  if (!symbols.data) return null;
  return (
    <div className="ticker-strip" aria-label="Live prices">
      {symbols.data.items.map((s) => (
        <StripItem key={s.symbol} symbol={s.symbol} digits={stepDigits(s.tickSize)} />
      ))}
    </div>
  );
}

function StripItem({ symbol, digits }: { symbol: string; digits: number | undefined }) {
  const ticker = useTicker(symbol);
  return (
    <Link to={`/market?symbol=${encodeURIComponent(symbol)}`} title={`${symbol} market`}>
      <span className="muted">{symbol}</span> <span className={`num${ticker.data?.stale ? ' warn' : ''}`}>{formatDecimal(ticker.data?.last, digits)}</span>
    </Link>
  );
}
