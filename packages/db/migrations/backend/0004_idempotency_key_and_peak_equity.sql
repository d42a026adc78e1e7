-- A manual order's Idempotency-Key on the decision it produced. If the process dies between the
-- decision's commit and storing the response, a retry with the same key finds the decision (and
-- its order) instead of waiting on a key that stays pending forever; the unique index makes a
-- second decision for one key impossible, whatever happens.
ALTER TABLE decisions ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX decisions_idempotency_key_idx ON decisions (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- The highest equity (cash + positions marked at the last price) seen at a decision: the risk
-- engine's drawdown limit measures from it.
ALTER TABLE profiles ADD COLUMN peak_equity numeric;
