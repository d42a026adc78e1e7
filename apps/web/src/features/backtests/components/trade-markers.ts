import type { BacktestResultView } from '@kestrel/contracts';
import type { ChartMarker } from '../../../components/charts/index.tsx';

type Trade = BacktestResultView['trades'][number];

/**
 * Entry and exit of each trade of `symbol` as chart markers, at the bar they filled in: a long
 * enters with a buy and exits with a sell, a short the other way round. The position still open
 * at the end adds its entry.
 */
export function tradeMarkers(result: BacktestResultView, symbol: string): ChartMarker[] {
  const markers: ChartMarker[] = [];
  for (const t of result.trades as Trade[]) {
    if (t.symbol !== symbol) continue;
    const long = t.side === 'long';
    markers.push({ time: t.entryTime, side: long ? 'buy' : 'sell', text: long ? 'L' : 'S' });
    markers.push({ time: t.exitTime, side: long ? 'sell' : 'buy', text: 'X' });
  }
  for (const p of result.openPositions) if (p.symbol === symbol) markers.push({ time: p.entryTime, side: p.size >= 0 ? 'buy' : 'sell', text: 'open' });
  return markers;
}
