import { useEffect, useRef, useState } from 'react';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatDecimal, formatTime, stepDigits } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';
import { useSymbols } from '../api/get-symbols.ts';
import { useTicker } from '../api/get-ticker.ts';

/** One symbol's live price (flashing green or red as it moves), bid, ask and time of the last trade. */
export function TickerCard({ symbol }: { symbol: string }) {
  const ticker = useTicker(symbol);
  const symbols = useSymbols();
  const digits = stepDigits(symbols.data?.items.find((s) => s.symbol === symbol)?.tickSize);
  const { timezone } = usePreferences();
  const flash = usePriceFlash(ticker.data?.last);
  return (
    <Panel title={`${symbol} last price`} testId={`ticker-${symbol}`}>
      <QueryState query={ticker}>
        {(t) => (
          <div className="stack">
            <div className={`price-big ${flash}`} data-testid="last-price" aria-live="off">
              {formatDecimal(t.last, digits)}
            </div>
            <dl className="kv">
              <dt>Bid</dt>
              <dd className="num">{formatDecimal(t.bid, digits)}</dd>
              <dt>Ask</dt>
              <dd className="num">{formatDecimal(t.ask, digits)}</dd>
              <dt>Time</dt>
              <dd className="num">
                {formatTime(t.time, timezone)} {t.stale && <span className="warn">stale: the feed is behind</span>}
              </dd>
            </dl>
          </div>
        )}
      </QueryState>
    </Panel>
  );
}

/** `flash-up` / `flash-down` for a moment after the price moves. */
function usePriceFlash(price: string | undefined): string {
  const prev = useRef(price);
  const [flash, setFlash] = useState('');
  useEffect(() => {
    const before = prev.current;
    prev.current = price;
    if (!before || !price || before === price) return;
    setFlash(Number(price) > Number(before) ? 'flash-up' : 'flash-down');
    const t = setTimeout(() => setFlash(''), 600);
    return () => clearTimeout(t);
  }, [price]);
  return flash;
}
