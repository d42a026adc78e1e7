-- Backtests and parameter sweeps (kind), tenant-owned. A run is inserted `queued` when submitted,
-- becomes `running` when a worker thread of the backend instance in `runner` takes it, and ends
-- `completed` (result stored), `failed` (error stored) or `cancelled`. Progress is overwritten at
-- most every 250 ms while it runs. `metrics` is kept apart from `result` so that lists and
-- comparisons never read the big result (equity curve, trades, orders, a sweep's ranked table).
CREATE TABLE backtest_runs (
  id                   uuid PRIMARY KEY,
  tenant_id            uuid NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('backtest', 'sweep')),
  name                 text,
  status               text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  profile_id           uuid,
  -- The request as resolved at submission (a profile's strategy, rules and capital copied in), so a
  -- later change of the profile does not change what this run was.
  config               jsonb NOT NULL,
  progress             jsonb NOT NULL DEFAULT '{"percent": 0, "barsPerSecond": 0}',
  metrics              jsonb,
  result               jsonb,
  -- { code, message } of a failed run.
  error                jsonb,
  -- The backend instance whose queue holds the run (INSTANCE_ID): at its start-up it fails the runs
  -- it left queued or running.
  runner               text NOT NULL,
  created_by           uuid NOT NULL,
  created_by_username  text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  started_at           timestamptz,
  finished_at          timestamptz,
  CHECK ((status IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL))
);
-- Lists: a tenant's runs of one kind, newest first (cursor on created_at, id).
CREATE INDEX backtest_runs_tenant_kind_created_idx ON backtest_runs (tenant_id, kind, created_at DESC, id DESC);
-- Start-up: the unfinished runs an instance left behind.
CREATE INDEX backtest_runs_unfinished_idx ON backtest_runs (runner) WHERE status IN ('queued', 'running');

ALTER TABLE backtest_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON backtest_runs
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on')
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on');

GRANT SELECT, INSERT, UPDATE, DELETE ON backtest_runs TO kestrel_app;
