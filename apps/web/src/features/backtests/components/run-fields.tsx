import { useId, useMemo } from 'react';
import type { Profile, StrategyInfo } from '@kestrel/contracts';
import { initialInputs } from '../../../components/schema-form/json-schema.ts';
import { SchemaFields } from '../../../components/schema-form/schema-form.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { spanOf, symbolsOf, timeframesOf, type CoverageEntry } from '../../../lib/coverage.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { paramFields, type Refusal, type RunInputs } from './run-form-model.ts';

/**
 * What a backtest runs and how it simulates — shared by the backtest and the sweep form: a
 * strategy (its parameters in a form generated from its JSON Schema, as in the bot editor) on
 * symbols and a timeframe that have stored candles, or a bot's configuration; the range (UTC) with
 * the stored span as a hint; cash, fees, slippage and the fill model. Each server message appears
 * on the input it is about.
 */
export function RunFields({
  inputs,
  onChange,
  strategies,
  coverage,
  profiles,
  refusal,
  allowProfile = true,
}: {
  inputs: RunInputs;
  onChange: (inputs: RunInputs) => void;
  strategies: StrategyInfo[];
  coverage: CoverageEntry[];
  profiles: Profile[];
  refusal: Refusal;
  allowProfile?: boolean;
}) {
  const set = (patch: Partial<RunInputs>) => onChange({ ...inputs, ...patch });
  const strategy = strategies.find((s) => s.id === inputs.strategy);
  const fields = useMemo(() => paramFields(strategies, inputs.strategy), [strategies, inputs.strategy]);
  const profile = profiles.find((p) => p.id === inputs.profileId);
  const symbols = inputs.source === 'profile' ? (profile ? [profile.symbol] : []) : inputs.symbols;
  // A bot plays the timeframes its own symbol is stored at; a strategy any stored timeframe.
  const timeframes = inputs.source === 'profile' ? timeframesOf(coverage.filter((c) => c.symbol === profile?.symbol)) : timeframesOf(coverage);
  const span = spanOf(coverage, symbols, inputs.timeframe);

  /** A timeframe for the strategy, keeping the chosen symbols that are stored at it (else the first stored one). */
  const strategyTimeframe = (timeframe: string): Partial<RunInputs> => {
    const stored = symbolsOf(coverage, timeframe);
    const kept = inputs.symbols.filter((s) => stored.includes(s));
    return { timeframe, symbols: kept.length ? kept : stored.slice(0, 1) };
  };
  const chooseProfile = (id: string): Partial<RunInputs> => {
    const p = profiles.find((x) => x.id === id);
    return { profileId: id, timeframe: p ? botTimeframe(p, coverage) : '' };
  };
  const chooseSource = (source: RunInputs['source']) => {
    if (source === 'strategy') set({ source, ...strategyTimeframe(inputs.timeframe) });
    else set({ source, ...chooseProfile(inputs.profileId || (profiles[0]?.id ?? '')) });
  };
  const toggleSymbol = (symbol: string, on: boolean) => set({ symbols: on ? [...inputs.symbols, symbol] : inputs.symbols.filter((s) => s !== symbol) });

  return (
    <div className="stack">
      {allowProfile && (
        <fieldset className="segmented">
          <legend className="sr-only">What to backtest</legend>
          {(['strategy', 'profile'] as const).map((source) => (
            <label key={source} className={inputs.source === source ? 'on' : undefined}>
              <input type="radio" name="source" value={source} checked={inputs.source === source} onChange={() => chooseSource(source)} />
              {source === 'strategy' ? 'A strategy' : 'A bot’s configuration'}
            </label>
          ))}
        </fieldset>
      )}
      <div className="form-grid">
        {inputs.source === 'profile' ? (
          <Field label="Bot" error={refusal.at('/profileId')} hint={profile ? `${profile.strategy} on ${profile.symbol}, with its rules and risk limits; its capital is the cash unless you set one` : 'no bot yet: create one on the overview'}>
            {(p) => (
              <select {...p} value={inputs.profileId} onChange={(e) => set(chooseProfile(e.target.value))}>
                {profiles.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field label="Strategy" error={refusal.at('/strategy')} hint={strategy?.description}>
            {(p) => (
              <select {...p} value={inputs.strategy} onChange={(e) => set({ strategy: e.target.value, params: initialInputs(paramFields(strategies, e.target.value)) })}>
                {strategies.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Name" error={refusal.at('/name')} hint="optional, to find it in the list">
          {(p) => <input {...p} maxLength={100} value={inputs.name} onChange={(e) => set({ name: e.target.value })} />}
        </Field>
      </div>
      {inputs.source === 'strategy' && (
        <section aria-label={`${strategy?.name ?? inputs.strategy} parameters`}>
          <h3 className="form-section">{strategy?.name ?? inputs.strategy} parameters</h3>
          <SchemaFields fields={fields} inputs={inputs.params} errors={refusal.params} onChange={(params) => set({ params })} />
        </section>
      )}
      <h3 className="form-section">Data</h3>
      <div className="form-grid">
        <Field label="Timeframe" error={refusal.at('/timeframe')} hint={timeframes.length ? 'bar duration of the stored candles' : 'no stored candles: import some first (npm run import:candles)'}>
          {(p) => (
            <select {...p} value={inputs.timeframe} onChange={(e) => set(inputs.source === 'profile' ? { timeframe: e.target.value } : strategyTimeframe(e.target.value))}>
              {timeframes.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {inputs.source === 'strategy' && <SymbolPicker stored={symbolsOf(coverage, inputs.timeframe)} chosen={inputs.symbols} error={refusal.at('/symbols')} onToggle={toggleSymbol} />}
      <div className="form-grid">
        <Field label="From (UTC)" error={refusal.at('/from')} hint={span ? `stored from ${formatDateTime(span.first)}` : undefined}>
          {(p) => <input {...p} type="datetime-local" step={60} value={inputs.from} onChange={(e) => set({ from: e.target.value })} />}
        </Field>
        <Field label="To (UTC)" error={refusal.at('/to')} hint={span ? `to ${formatDateTime(span.last)} · ${span.bars.toLocaleString('en-US')} bars, ${span.gapCount} gaps` : undefined}>
          {(p) => <input {...p} type="datetime-local" step={60} value={inputs.to} onChange={(e) => set({ to: e.target.value })} />}
        </Field>
        <div className="field">
          <span className="label" aria-hidden="true">
            &nbsp;
          </span>
          <Button onClick={() => set({ from: '', to: '' })} disabled={!inputs.from && !inputs.to}>
            Whole stored range
          </Button>
        </div>
      </div>
      <h3 className="form-section">Simulation</h3>
      <div className="form-grid">
        <Field label="Cash" error={refusal.at('/cash')} hint={inputs.source === 'profile' ? 'empty: the bot’s capital allocation' : 'in the quote currency; empty: 10000'}>
          {(p) => <input {...p} className="num" inputMode="decimal" placeholder={inputs.source === 'profile' ? '' : '10000'} value={inputs.cash} onChange={(e) => set({ cash: e.target.value })} />}
        </Field>
        <Field label="Fee rate" error={refusal.at('/feeRate')} hint="of every fill, e.g. 0.001 = 0.1 %; empty: the risk limits’ fee, else 0">
          {(p) => <input {...p} className="num" inputMode="decimal" placeholder="0" value={inputs.feeRate} onChange={(e) => set({ feeRate: e.target.value })} />}
        </Field>
        <Field label="Slippage (bps)" error={refusal.at('/slippageBps')} hint="taker fills move this many basis points against the order">
          {(p) => <input {...p} type="number" min={0} max={1000} step="any" placeholder="0" value={inputs.slippageBps} onChange={(e) => set({ slippageBps: e.target.value })} />}
        </Field>
        <Field label="Fill model" error={refusal.at('/fill')}>
          {(p) => (
            <select {...p} value={inputs.fill} onChange={(e) => set({ fill: e.target.value as RunInputs['fill'] })}>
              <option value="next-open">Next bar’s open</option>
              <option value="close">Signal bar’s close</option>
            </select>
          )}
        </Field>
        <Field label="Warm-up bars" error={refusal.at('/warmupBars')} hint="bars before from that only warm the strategy up">
          {(p) => <input {...p} type="number" min={0} step={1} placeholder="0" value={inputs.warmupBars} onChange={(e) => set({ warmupBars: e.target.value })} />}
        </Field>
        <Field label="Stake" error={refusal.at('/stake')} hint="quote amount an entry without its own size buys">
          {(p) => <input {...p} className="num" inputMode="decimal" value={inputs.stake} onChange={(e) => set({ stake: e.target.value })} />}
        </Field>
      </div>
    </div>
  );
}

/** The bot's own timeframe when its symbol's bars are stored at it, else the first stored one (the demo bot trades replayed 1s bars of 5m data). */
function botTimeframe(profile: Profile, coverage: readonly CoverageEntry[]): string {
  const stored = timeframesOf(coverage.filter((c) => c.symbol === profile.symbol));
  return stored.includes(profile.timeframe) ? profile.timeframe : (stored[0] ?? '');
}

/** The symbols stored at the chosen timeframe, as checkboxes (one cash pool for all of them: one quote currency). */
function SymbolPicker({ stored, chosen, error, onToggle }: { stored: string[]; chosen: string[]; error: string | undefined; onToggle: (symbol: string, on: boolean) => void }) {
  const errorId = useId();
  return (
    <fieldset className="field" aria-describedby={error ? errorId : undefined}>
      <legend className="label">Symbols</legend>
      <div className="check-list">
        {stored.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" name="symbols" value={s} checked={chosen.includes(s)} onChange={(e) => onToggle(s, e.target.checked)} />
            <span className="mono">{s}</span>
          </label>
        ))}
      </div>
      <span className="hint">one strategy instance per symbol, one cash pool (one quote currency)</span>
      {error && (
        <span id={errorId} className="error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}
