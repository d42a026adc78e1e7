import type { ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import type { BacktestSummary, Profile, StrategyInfo } from '@kestrel/contracts';
import { Panel } from '../../components/ui/panel.tsx';
import { Empty, QueryState } from '../../components/ui/states.tsx';
import { NO_STORED_CANDLES, type CoverageEntry } from '../../lib/coverage.ts';
import { BACKTEST_ROLES, useCan } from '../../lib/kestrel.tsx';
import { BacktestForm } from '../../features/backtests/components/backtest-form.tsx';
import { Comparison } from '../../features/backtests/components/comparison.tsx';
import type { RunPrefill } from '../../features/backtests/components/run-form-model.ts';
import { runPath } from '../../features/backtests/components/run-summary.tsx';
import { RunsTable } from '../../features/backtests/components/runs-table.tsx';
import { SweepForm } from '../../features/backtests/components/sweep-form.tsx';
import { useCoverage } from '../../features/market-data/api/get-coverage.ts';
import { useProfiles } from '../../features/profiles/api/get-profiles.ts';
import { useStrategies } from '../../features/profiles/api/get-strategies.ts';

/** Backtests and sweeps (loaded on demand): the lists with their forms, a run's page, comparisons. */
export default function BacktestsLayout() {
  return (
    <>
      <div className="page-header">
        <h1>Backtests</h1>
      </div>
      <nav className="tabs" aria-label="Backtest sections">
        <NavLink to="/backtests" end>
          Backtests
        </NavLink>
        <NavLink to="/backtests/sweeps">Sweeps</NavLink>
      </nav>
      <Outlet />
    </>
  );
}

/** What both forms choose from: the strategies with their schemas, the stored candles, the bots. */
function FormData({ children }: { children: (d: { strategies: StrategyInfo[]; coverage: CoverageEntry[]; profiles: Profile[] }) => ReactNode }) {
  const strategies = useStrategies();
  const coverage = useCoverage();
  const profiles = useProfiles();
  return (
    <QueryState query={strategies}>
      {(s) => (
        <QueryState query={coverage} isEmpty={(c) => c.items.length === 0} empty={NO_STORED_CANDLES}>
          {(c) => <QueryState query={profiles}>{(p) => children({ strategies: s.items, coverage: c.items, profiles: p.items })}</QueryState>}
        </QueryState>
      )}
    </QueryState>
  );
}

/** A kind of run: its form (for those who may run it) beside the list. */
function RunsPage({ kind, formTitle, listTitle, canRun, children }: { kind: 'backtest' | 'sweep'; formTitle: string; listTitle: string; canRun: boolean; children: ReactNode }) {
  return (
    <div className="grid">
      {canRun && (
        <div className="span-5">
          <Panel title={formTitle}>{children}</Panel>
        </div>
      )}
      <div className={canRun ? 'span-7' : 'span-12'}>
        <Panel title={listTitle} flush testId={`${kind}s-list`}>
          <RunsTable kind={kind} />
        </Panel>
      </div>
    </div>
  );
}

/** The list of backtests and, for those who may run them, the form (filled in when a sweep's row was sent here). */
export function BacktestsRoute() {
  const canRun = useCan(...BACKTEST_ROLES);
  const navigate = useNavigate();
  const prefill = (useLocation().state as { prefill?: RunPrefill } | null)?.prefill;
  const open = (run: BacktestSummary) => navigate(runPath('backtest', run.id));
  return (
    <RunsPage kind="backtest" formTitle="New backtest" listTitle="Backtests" canRun={canRun}>
      <FormData>{(d) => <BacktestForm key={JSON.stringify(prefill ?? null)} {...d} {...(prefill ? { prefill } : {})} onSubmitted={open} />}</FormData>
    </RunsPage>
  );
}

export function SweepsRoute() {
  const canRun = useCan(...BACKTEST_ROLES);
  const navigate = useNavigate();
  return (
    <RunsPage kind="sweep" formTitle="New parameter sweep" listTitle="Sweeps" canRun={canRun}>
      <FormData>{({ strategies, coverage }) => <SweepForm strategies={strategies} coverage={coverage} onSubmitted={(run) => navigate(runPath('sweep', run.id))} />}</FormData>
    </RunsPage>
  );
}

/** `/backtests/compare?ids=a,b,…`: the runs ticked in the list, side by side. */
export function CompareRoute() {
  const [params] = useSearchParams();
  const ids = (params.get('ids') ?? '').split(',').filter(Boolean);
  return (
    <div className="stack">
      <div className="page-header">
        <Link to="/backtests">Backtests</Link>
        <span className="muted">/</span>
        <h2 className="run-title">Compare {ids.length} backtests</h2>
      </div>
      {ids.length < 2 ? <Empty>Tick at least two completed backtests in the list to compare them.</Empty> : <Comparison ids={ids} />}
    </div>
  );
}
