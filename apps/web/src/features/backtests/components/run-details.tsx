import type { BacktestResultView, BacktestSettings } from '@kestrel/contracts';
import { formatDateTime, formatNumber, formatPercent } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';
import { paramsText } from './run-summary.tsx';

const json = (v: object) => (Object.keys(v).length ? JSON.stringify(v) : 'none');

/** How a run simulated, as resolved at submission (a bot's values copied in), and its parameters. */
export function RunSettingsList({ settings, params }: { settings: BacktestSettings; params: Record<string, unknown> }) {
  return (
    <dl className="kv" data-testid="run-settings">
      <dt>Parameters</dt>
      <dd className="mono">{paramsText(params) || 'defaults'}</dd>
      <dt>Cash</dt>
      <dd className="num">{settings.cash}</dd>
      <dt>Fee rate</dt>
      <dd className="num">
        {settings.feeRate} ({formatPercent(Number(settings.feeRate), 3)})
      </dd>
      <dt>Slippage</dt>
      <dd className="num">{settings.slippageBps} bps</dd>
      <dt>Fill</dt>
      <dd>{settings.fill === 'next-open' ? 'next bar’s open' : 'signal bar’s close'}</dd>
      <dt>Warm-up</dt>
      <dd className="num">{settings.warmupBars} bars</dd>
      <dt>Stake</dt>
      <dd className="num">{settings.stake ?? '—'}</dd>
      <dt>Rules</dt>
      <dd className="mono">{json(settings.rules)}</dd>
      <dt>Risk limits</dt>
      <dd className="mono">{json(settings.riskLimits)}</dd>
    </dl>
  );
}

/** What the run covered and how it ended: bars, time taken, positions still open, intents the rules or the risk engine refused. */
export function ResultFacts({ result }: { result: BacktestResultView }) {
  const { timezone } = usePreferences();
  const denials = Object.entries(result.denials);
  return (
    <dl className="kv" data-testid="result-facts">
      <dt>Bars played</dt>
      <dd className="num">
        {result.bars.toLocaleString('en-US')}, {formatDateTime(result.startTime, timezone)} → {formatDateTime(result.endTime, timezone)}
      </dd>
      <dt>Orders · fills</dt>
      <dd className="num">
        {result.counts.orders.toLocaleString('en-US')} · {result.counts.fills.toLocaleString('en-US')}
      </dd>
      <dt>Computed in</dt>
      <dd className="num">{formatNumber(result.elapsedMs, 0)} ms</dd>
      <dt>Open at the end</dt>
      <dd className="num">
        {result.openPositions.length === 0
          ? 'nothing'
          : result.openPositions.map((p) => `${p.symbol} ${p.size} @ ${p.entryPrice} (unrealized ${formatNumber(p.unrealizedPnl, 2)})`).join('; ')}
      </dd>
      <dt>Refused intents</dt>
      <dd className="mono">{denials.length === 0 ? 'none' : denials.map(([code, n]) => `${code} × ${n}`).join(', ')}</dd>
    </dl>
  );
}
