import { useMemo, useState, type FormEvent } from 'react';
import { BACKTEST_RANK_METRICS, MAX_SWEEP_COMBINATIONS, type BacktestSummary, type StrategyInfo } from '@kestrel/contracts';
import type { FieldSpec } from '../../../components/schema-form/json-schema.ts';
import { FormFooter } from '../../../components/ui/form-footer.tsx';
import { Field } from '../../../components/ui/field.tsx';
import type { CoverageEntry } from '../../../lib/coverage.ts';
import { useSubmitSweep } from '../api/submit-run.ts';
import { METRICS } from './metrics.ts';
import { RunFields } from './run-fields.tsx';
import { initialRunInputs, paramFields, refusalOf, RUN_FIELD_PATHS, runRequest, type Refusal, type RunInputs } from './run-form-model.ts';
import { axisCount, axisPath, gridSize, initialSpace, numericFields, RANK_METRICS, SPACE_FIELD_PATHS, spaceRequest, type AxisInputs, type SpaceInputs } from './sweep-space-model.ts';

/**
 * A parameter sweep: the run settings of a backtest, then which numeric parameters vary and over
 * what (every combination of a grid, or a seeded random sample), the metric that ranks them, and
 * the share of bars held back to re-run the best out of sample. Parameters that do not vary keep
 * the value in the parameter form.
 */
export function SweepForm({ strategies, coverage, onSubmitted }: { strategies: StrategyInfo[]; coverage: CoverageEntry[]; onSubmitted: (run: BacktestSummary) => void }) {
  const [inputs, setInputs] = useState(() => initialRunInputs(strategies, coverage));
  const fields = useMemo(() => paramFields(strategies, inputs.strategy), [strategies, inputs.strategy]);
  const [space, setSpace] = useState(() => initialSpace(fields));
  const submit = useSubmitSweep();
  const refusal = refusalOf(submit.error, fields, [...RUN_FIELD_PATHS, ...SPACE_FIELD_PATHS]);

  const changeRun = (next: RunInputs) => {
    // Another strategy has other parameters: its own space.
    if (next.strategy !== inputs.strategy) setSpace({ ...space, axes: initialSpace(paramFields(strategies, next.strategy)).axes });
    setInputs(next);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.mutate({ ...runRequest(inputs, fields), ...spaceRequest(space) }, { onSuccess: onSubmitted });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="New sweep" data-testid="sweep-form">
      <RunFields inputs={inputs} onChange={changeRun} strategies={strategies} coverage={coverage} profiles={[]} refusal={refusal} allowProfile={false} />
      <SpaceFields fields={fields} space={space} onChange={setSpace} refusal={refusal} />
      <FormFooter error={refusal.summary} busy={submit.isPending} submitLabel="Run sweep" submitTestId="sweep-submit" />
    </form>
  );
}

function SpaceFields({ fields, space, onChange, refusal }: { fields: FieldSpec[]; space: SpaceInputs; onChange: (s: SpaceInputs) => void; refusal: Refusal }) {
  const set = (patch: Partial<SpaceInputs>) => onChange({ ...space, ...patch });
  const setAxis = (name: string, patch: Partial<AxisInputs>) => set({ axes: { ...space.axes, [name]: { ...space.axes[name]!, ...patch } } });
  const grid = space.mode === 'grid';
  const size = gridSize(space);
  const spaceError = refusal.at(grid ? '/grid' : '/random', true);
  return (
    <section aria-label="Parameter space" className="stack">
      <h3 className="form-section">Parameter space</h3>
      <fieldset className="segmented">
        <legend className="sr-only">Search</legend>
        {(['grid', 'random'] as const).map((mode) => (
          <label key={mode} className={space.mode === mode ? 'on' : undefined}>
            <input type="radio" name="mode" value={mode} checked={space.mode === mode} onChange={() => set({ mode })} />
            {mode === 'grid' ? 'Grid (every combination)' : 'Random search'}
          </label>
        ))}
      </fieldset>
      <div className="table-wrap">
        <table className="data space-table">
          <thead>
            <tr>
              <th>Vary</th>
              <th>{grid ? 'From' : 'Min'}</th>
              <th>{grid ? 'To' : 'Max'}</th>
              <th>{grid ? 'Step' : 'Step (optional)'}</th>
              {grid && <th className="r">Values</th>}
            </tr>
          </thead>
          <tbody>
            {numericFields(fields).map((f) => {
              const a = space.axes[f.name] ?? { vary: false, from: '', to: '', step: '' };
              const error = refusal.at(axisPath(space.mode, f.name));
              const input = (key: 'from' | 'to' | 'step', label: string) => (
                <input type="number" step="any" aria-label={`${f.title} ${label}`} aria-invalid={Boolean(error)} disabled={!a.vary} value={a[key]} onChange={(e) => setAxis(f.name, { [key]: e.target.value })} />
              );
              return (
                <tr key={f.name} data-param={f.name}>
                  <td className="wrap">
                    <label className="check">
                      <input type="checkbox" checked={a.vary} onChange={(e) => setAxis(f.name, { vary: e.target.checked })} />
                      <span className="sr-only">Vary </span>
                      {f.title}
                    </label>
                    {error && (
                      <span className="error down" role="alert">
                        {error}
                      </span>
                    )}
                  </td>
                  <td>{input('from', grid ? 'from' : 'min')}</td>
                  <td>{input('to', grid ? 'to' : 'max')}</td>
                  <td>{input('step', 'step')}</td>
                  {grid && <td className="r num">{a.vary ? (axisCount(a) ?? '—') : 1}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className={grid && size !== null && size > MAX_SWEEP_COMBINATIONS ? 'down' : 'muted'} role="status">
        {grid ? (size === null ? 'Finish the ranges to see how many combinations run.' : `${size.toLocaleString('en-US')} combination${size === 1 ? '' : 's'} (at most ${MAX_SWEEP_COMBINATIONS.toLocaleString('en-US')}); those the strategy refuses, such as fast ≥ slow, are skipped.`) : 'Distinct combinations drawn from the ranges; the same seed draws the same ones.'}
      </p>
      {spaceError && (
        <span className="error down" role="alert">
          {spaceError}
        </span>
      )}
      <div className="form-grid">
        {!grid && (
          <>
            <Field label="Samples" error={refusal.at('/random/samples')}>
              {(p) => <input {...p} type="number" min={1} max={MAX_SWEEP_COMBINATIONS} step={1} value={space.samples} onChange={(e) => set({ samples: e.target.value })} />}
            </Field>
            <Field label="Seed" error={refusal.at('/random/seed')}>
              {(p) => <input {...p} type="number" min={0} step={1} value={space.seed} onChange={(e) => set({ seed: e.target.value })} />}
            </Field>
          </>
        )}
        <Field label="Rank by" error={refusal.at('/rankBy')} hint={`${BACKTEST_RANK_METRICS[space.rankBy]} is better; ties go to the smaller parameters`}>
          {(p) => (
            <select {...p} value={space.rankBy} onChange={(e) => set({ rankBy: e.target.value as SpaceInputs['rankBy'] })}>
              {RANK_METRICS.map((m) => (
                <option key={m} value={m}>
                  {METRICS[m].label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Out-of-sample share" error={refusal.at('/outOfSample')} hint="the last bars held back from ranking, e.g. 0.25; empty: none">
          {(p) => <input {...p} type="number" min={0} max={1} step="any" value={space.oosFraction} onChange={(e) => set({ oosFraction: e.target.value })} />}
        </Field>
        <Field label="Re-run the best" error={refusal.at('/topN')} hint="combinations re-run out of sample">
          {(p) => <input {...p} type="number" min={1} max={50} step={1} value={space.topN} onChange={(e) => set({ topN: e.target.value })} />}
        </Field>
      </div>
    </section>
  );
}
