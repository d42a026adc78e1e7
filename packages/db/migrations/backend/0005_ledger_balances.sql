-- Running balances of the ledger, per profile, account and currency: kept by a trigger on every
-- ledger entry, in the same transaction, so reading a profile's balances (every decision, every
-- release) costs one indexed read instead of summing its whole history. The entries stay the truth:
-- the balance of (profile, account, currency) always equals the sum of its entries (tested).
CREATE TABLE ledger_balances (
  profile_id  uuid NOT NULL REFERENCES profiles (id),
  account     text NOT NULL,
  currency    text NOT NULL,
  tenant_id   uuid NOT NULL,
  balance     numeric NOT NULL,
  PRIMARY KEY (profile_id, account, currency)
);

INSERT INTO ledger_balances (profile_id, account, currency, tenant_id, balance)
  SELECT profile_id, account, currency, (array_agg(tenant_id))[1], sum(amount) FROM ledger_entries GROUP BY profile_id, account, currency;

CREATE FUNCTION kestrel_ledger_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ledger_balances (profile_id, account, currency, tenant_id, balance)
    VALUES (NEW.profile_id, NEW.account, NEW.currency, NEW.tenant_id, NEW.amount)
    ON CONFLICT (profile_id, account, currency) DO UPDATE SET balance = ledger_balances.balance + EXCLUDED.balance;
  RETURN NULL;
END
$$;
CREATE TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION kestrel_ledger_balance();

ALTER TABLE ledger_balances ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ledger_balances
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on')
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on');
-- The application reads balances; only the trigger (running as the inserting role) writes them.
GRANT SELECT, INSERT, UPDATE ON ledger_balances TO kestrel_app;
