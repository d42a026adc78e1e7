import { useMemo, useState, type FormEvent } from 'react';
import type { BacktestSummary, Profile, StrategyInfo } from '@kestrel/contracts';
import { FormFooter } from '../../../components/ui/form-footer.tsx';
import type { CoverageEntry } from '../../../lib/coverage.ts';
import { useSubmitBacktest } from '../api/submit-run.ts';
import { RunFields } from './run-fields.tsx';
import { initialRunInputs, paramFields, refusalOf, RUN_FIELD_PATHS, runRequest, type RunPrefill } from './run-form-model.ts';

/**
 * A new backtest: a strategy with parameters generated from its schema (or a bot's configuration)
 * on stored candles. The server checks it at once; its messages appear on the fields, and nothing
 * is queued until it accepts. Accepted, the run is queued and `onSubmitted` opens its page.
 */
export function BacktestForm({
  strategies,
  coverage,
  profiles,
  prefill,
  onSubmitted,
}: {
  strategies: StrategyInfo[];
  coverage: CoverageEntry[];
  profiles: Profile[];
  prefill?: RunPrefill;
  onSubmitted: (run: BacktestSummary) => void;
}) {
  const [inputs, setInputs] = useState(() => initialRunInputs(strategies, coverage, prefill));
  const submit = useSubmitBacktest();
  const fields = useMemo(() => paramFields(strategies, inputs.strategy), [strategies, inputs.strategy]);
  const refusal = refusalOf(submit.error, fields, RUN_FIELD_PATHS);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.mutate(runRequest(inputs, fields), { onSuccess: onSubmitted });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="New backtest" data-testid="backtest-form">
      <RunFields inputs={inputs} onChange={setInputs} strategies={strategies} coverage={coverage} profiles={profiles} refusal={refusal} />
      <FormFooter error={refusal.summary} busy={submit.isPending} submitLabel="Run backtest" submitTestId="backtest-submit" />
    </form>
  );
}
