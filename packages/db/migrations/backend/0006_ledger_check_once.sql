-- The balanced-ledger check (0002) ran once per ledger entry AND once per ledger transaction: for a
-- two-entry transaction three times, two queries each. Same guarantee, less work:
-- - the transaction row's own deferred trigger checks all its entries at commit (one query);
-- - an entry's trigger is skipped when its transaction row was inserted by this same top-level
--   database transaction (that row's trigger checks it); an entry appended to an older transaction
--   (or inserted in a subtransaction) is still checked on its own.
CREATE OR REPLACE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  -- ledger_entries rows carry transaction_id; ledger_transactions rows are the transaction (id).
  tx_id text := coalesce(to_jsonb(NEW) ->> 'transaction_id', to_jsonb(NEW) ->> 'id');
  result record;
BEGIN
  IF TG_TABLE_NAME = 'ledger_entries' AND EXISTS (
    SELECT 1 FROM ledger_transactions t WHERE t.profile_id = NEW.profile_id AND t.id = tx_id AND t.xmin = pg_current_xact_id()::xid
  ) THEN
    RETURN NULL;
  END IF;
  SELECT count(*) AS currencies, min(x.currency) FILTER (WHERE x.total <> 0) AS bad_currency, min(x.total) FILTER (WHERE x.total <> 0) AS bad_total
    INTO result
    FROM (SELECT e.currency, sum(e.amount) AS total FROM ledger_entries e WHERE e.profile_id = NEW.profile_id AND e.transaction_id = tx_id GROUP BY e.currency) x;
  IF result.currencies = 0 THEN
    RAISE EXCEPTION 'ledger transaction % has no entries', tx_id USING ERRCODE = 'check_violation';
  END IF;
  IF result.bad_currency IS NOT NULL THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced: % entries sum to %', tx_id, result.bad_currency, result.bad_total USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;
