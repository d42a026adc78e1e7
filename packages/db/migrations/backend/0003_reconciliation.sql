-- Reconciliation: the indexes its queries need (0002 created the tables).
-- Runs are listed newest first per tenant (cursor on started_at, id) and per exchange account.
CREATE INDEX reconciliation_runs_tenant_started_idx ON reconciliation_runs (tenant_id, started_at DESC, id DESC);
CREATE INDEX reconciliation_runs_account_started_idx ON reconciliation_runs (exchange_account_id, started_at DESC, id DESC);
CREATE INDEX reconciliation_discrepancies_run_idx ON reconciliation_discrepancies (run_id, id);
-- Every run reads the account's open orders and the account's fills (last known trade id per symbol).
CREATE INDEX orders_account_status_idx ON orders (exchange_account_id, status);
CREATE INDEX fills_account_order_idx ON fills (exchange_account_id, order_id);
-- Per symbol, the greatest venue trade id a run has seen (booked, duplicate or flagged). The next
-- run asks for trades after max(this of the last succeeded run, the last booked fill), so a trade
-- nobody here knows (a manual trade at the exchange) is flagged once, not on every run.
ALTER TABLE reconciliation_runs ADD COLUMN trade_cursors jsonb;
