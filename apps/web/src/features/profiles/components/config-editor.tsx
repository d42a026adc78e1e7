import { useMemo, useState, type FormEvent } from 'react';
import { isApiError } from '@kestrel/api-client';
import { PROFILE_TIMEFRAMES, type Profile, type StrategyInfo } from '@kestrel/contracts';
import { fieldsFromSchema, initialInputs, issuesByField, valuesFromInputs, type FormInputs } from '../../../components/schema-form/json-schema.ts';
import { SchemaFields } from '../../../components/schema-form/schema-form.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { TRADING_ROLES, useCan } from '../../../lib/kestrel.tsx';
import { useStrategies } from '../api/get-strategies.ts';
import { useUpdateProfile } from '../api/update-profile.ts';
import { FormFooter } from '../../../components/ui/form-footer.tsx';

/**
 * A bot's configuration: name, timeframe and capital, the strategy, and the strategy's parameters
 * in a form generated from its JSON Schema (GET /api/strategies). The server validates; its
 * messages appear on the fields they are about. Viewers see it read-only.
 */
export function ConfigEditor({ profile }: { profile: Profile }) {
  const strategies = useStrategies();
  return (
    <Panel title="Configuration" testId="config-editor">
      <QueryState query={strategies}>{(s) => <ConfigForm key={profile.id} profile={profile} strategies={s.items} />}</QueryState>
    </Panel>
  );
}

export function ConfigForm({ profile, strategies }: { profile: Profile; strategies: StrategyInfo[] }) {
  const canEdit = useCan(...TRADING_ROLES);
  const update = useUpdateProfile(profile.id);
  const [strategyId, setStrategyId] = useState(profile.strategy);
  const strategy = strategies.find((s) => s.id === strategyId);
  const fields = useMemo(() => (strategy ? fieldsFromSchema(strategy.paramsSchema) : []), [strategy]);
  const [params, setParams] = useState<FormInputs>(() => initialInputs(fields, profile.strategyParams));
  const [base, setBase] = useState({ name: profile.name, timeframe: profile.timeframe, capitalAllocation: profile.capitalAllocation });
  const [saved, setSaved] = useState(false);
  // The version this form was filled from: a save after someone else's change answers 409 instead of
  // overwriting it. Versions also count start/pause/stop: while the configuration itself is what the
  // form was filled from, the newer version is taken over.
  const [baseline, setBaseline] = useState({ version: profile.version, config: configOf(profile) });
  if (profile.version > baseline.version && configOf(profile) === baseline.config) setBaseline({ version: profile.version, config: baseline.config });

  const reload = () => {
    setStrategyId(profile.strategy);
    const current = strategies.find((s) => s.id === profile.strategy);
    setParams(initialInputs(current ? fieldsFromSchema(current.paramsSchema) : [], profile.strategyParams));
    setBase({ name: profile.name, timeframe: profile.timeframe, capitalAllocation: profile.capitalAllocation });
    setBaseline({ version: profile.version, config: configOf(profile) });
    update.reset();
  };

  const issues = isApiError(update.error) ? update.error.fieldIssues() : [];
  const paramErrors = issuesByField(issues, '/strategyParams', fields);
  const baseError = (name: string) => issues.find((i) => i.path === `/${name}`)?.message;
  const otherErrors = [paramErrors[''], ...issues.filter((i) => !i.path.startsWith('/strategyParams') && !['/name', '/timeframe', '/capitalAllocation'].includes(i.path)).map((i) => `${i.path}: ${i.message}`)].filter(Boolean);

  const chooseStrategy = (id: string) => {
    setStrategyId(id);
    const next = strategies.find((s) => s.id === id);
    // Another strategy starts from its own defaults; back to the saved one restores the saved values.
    setParams(initialInputs(next ? fieldsFromSchema(next.paramsSchema) : [], id === profile.strategy ? profile.strategyParams : {}));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    update.mutate(
      { name: base.name, timeframe: base.timeframe as (typeof PROFILE_TIMEFRAMES)[number], capitalAllocation: base.capitalAllocation, strategy: strategyId, strategyParams: valuesFromInputs(fields, params), version: baseline.version },
      {
        onSuccess: (p) => {
          setBaseline({ version: p.version, config: configOf(p) });
          setSaved(true);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Bot configuration">
      <div className="form-grid">
        <Field label="Name" error={baseError('name')}>
          {(p) => <input {...p} value={base.name} disabled={!canEdit} onChange={(e) => setBase({ ...base, name: e.target.value })} />}
        </Field>
        <Field label="Timeframe" error={baseError('timeframe')}>
          {(p) => (
            <select {...p} value={base.timeframe} disabled={!canEdit} onChange={(e) => setBase({ ...base, timeframe: e.target.value })}>
              {PROFILE_TIMEFRAMES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={`Capital (${profile.quoteCurrency})`} error={baseError('capitalAllocation')} hint="a change deposits or withdraws the difference">
          {(p) => <input {...p} className="num" inputMode="decimal" value={base.capitalAllocation} disabled={!canEdit} onChange={(e) => setBase({ ...base, capitalAllocation: e.target.value })} />}
        </Field>
        <Field label="Strategy" hint={strategy?.description}>
          {(p) => (
            <select {...p} value={strategyId} disabled={!canEdit} onChange={(e) => chooseStrategy(e.target.value)}>
              {strategies.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <h2 className="muted" style={{ margin: '12px 0 6px', fontSize: 11, textTransform: 'uppercase', letterSpacing: '0.06em' }}>
        {strategy?.name ?? strategyId} parameters
      </h2>
      <SchemaFields fields={fields} inputs={params} errors={paramErrors} disabled={!canEdit} onChange={setParams} />
      {update.isError && (
        <div className="alert alert-error" role="alert" style={{ marginTop: 10 }}>
          {update.error.message}
          {isApiError(update.error) && update.error.code === 'CONFLICT' && (
            <>
              {' '}
              <Button onClick={reload}>Load the latest configuration</Button>
            </>
          )}
          {otherErrors.length > 0 && (
            <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
              {otherErrors.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {canEdit && <FormFooter busy={update.isPending} submitLabel="Save configuration" success={saved && 'Saved.'} />}
    </form>
  );
}

/** The fields a configuration edit changes (not status): equal strings mean the same configuration. */
function configOf(p: Profile): string {
  return JSON.stringify([p.name, p.timeframe, p.capitalAllocation, p.strategy, p.strategyParams, p.rules, p.riskLimits]);
}
