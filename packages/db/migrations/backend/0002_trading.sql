-- Trading data: exchange accounts, profiles (bots) and their leases, orders with their lifecycle
-- history, fills, positions, the double-entry ledger, decisions, idempotency keys and
-- reconciliation runs. Every table is tenant-owned and has the tenant_isolation policy of 0001.
-- Money and quantities are NUMERIC (exact); the application parses them as decimal strings.

CREATE TABLE exchange_accounts (
  id              uuid PRIMARY KEY,
  tenant_id       uuid NOT NULL,
  name            text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('paper', 'live')),
  venue           text NOT NULL,
  -- AES-256-GCM ciphertexts (see apps/backend/src/services/secret-box.ts); never plaintext.
  api_key_enc     text,
  api_secret_enc  text,
  api_key_last4   text,
  paper_config    jsonb,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  CHECK (kind = 'paper' OR (api_key_enc IS NOT NULL AND api_secret_enc IS NOT NULL))
);

CREATE TABLE profiles (
  id                   uuid PRIMARY KEY,
  tenant_id            uuid NOT NULL,
  name                 text NOT NULL,
  exchange_account_id  uuid NOT NULL REFERENCES exchange_accounts (id),
  symbol               text NOT NULL,
  timeframe            text NOT NULL,
  strategy             text NOT NULL,
  strategy_params      jsonb NOT NULL,
  rules                jsonb NOT NULL,
  risk_limits          jsonb NOT NULL,
  capital_allocation   numeric NOT NULL CHECK (capital_allocation >= 0),
  quote_currency       text NOT NULL,
  mode                 text NOT NULL CHECK (mode IN ('paper', 'live')),
  status               text NOT NULL DEFAULT 'stopped' CHECK (status IN ('stopped', 'running', 'paused', 'halted')),
  halt_reason          text,
  trading_state        text NOT NULL DEFAULT 'ACTIVE' CHECK (trading_state IN ('ACTIVE', 'REDUCING', 'HALTED')),
  -- Last decision sequence number used; the next intent takes decision_seq + 1 under the row lock.
  decision_seq         bigint NOT NULL DEFAULT 0,
  version              integer NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  -- Profiles with history are never removed (orders, decisions and the ledger point at them).
  deleted_at           timestamptz
);
-- A deleted profile's name may be reused.
CREATE UNIQUE INDEX profiles_name_idx ON profiles (tenant_id, name) WHERE deleted_at IS NULL;
CREATE INDEX profiles_account_idx ON profiles (exchange_account_id);

-- One backend instance runs a profile's loop at a time. `epoch` is the fencing token: it grows on
-- every take-over, and writes made under a lease check it.
CREATE TABLE profile_leases (
  profile_id    uuid PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
  tenant_id     uuid NOT NULL,
  holder        text NOT NULL,
  epoch         bigint NOT NULL DEFAULT 1,
  heartbeat_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);

CREATE TABLE orders (
  id                   uuid PRIMARY KEY,
  tenant_id            uuid NOT NULL,
  -- Null only for venue orders adopted by reconciliation that belong to no profile.
  profile_id           uuid REFERENCES profiles (id),
  exchange_account_id  uuid NOT NULL REFERENCES exchange_accounts (id),
  client_order_id      text NOT NULL,
  venue_order_id       text,
  decision_id          text,
  symbol               text NOT NULL,
  side                 text NOT NULL CHECK (side IN ('buy', 'sell')),
  order_type           text NOT NULL CHECK (order_type IN ('market', 'limit', 'stop_market', 'stop_limit')),
  time_in_force        text NOT NULL CHECK (time_in_force IN ('GTC', 'IOC', 'FOK')),
  reduce_only          boolean NOT NULL DEFAULT false,
  quantity             numeric NOT NULL CHECK (quantity > 0),
  price                numeric,
  stop_price           numeric,
  status               text NOT NULL CHECK (status IN ('new', 'submitted', 'accepted', 'partially_filled', 'filled', 'cancel_requested', 'cancelled', 'rejected', 'expired')),
  filled_qty           numeric NOT NULL DEFAULT 0,
  filled_notional      numeric NOT NULL DEFAULT 0,
  avg_fill_price       numeric,
  fees                 numeric NOT NULL DEFAULT 0,
  fee_currency         text,
  source               text NOT NULL CHECK (source IN ('strategy', 'manual', 'reconciliation')),
  submit_attempts      integer NOT NULL DEFAULT 0,
  lookup_misses        integer NOT NULL DEFAULT 0,
  first_miss_at        timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  version              integer NOT NULL DEFAULT 1,
  UNIQUE (exchange_account_id, client_order_id),
  CHECK (filled_qty >= 0 AND filled_qty <= quantity)
);
CREATE INDEX orders_tenant_created_idx ON orders (tenant_id, created_at DESC, id DESC);
CREATE INDEX orders_profile_status_idx ON orders (profile_id, status);

-- Append-only lifecycle history of each order.
CREATE TABLE order_events (
  id           bigserial PRIMARY KEY,
  tenant_id    uuid NOT NULL,
  order_id     uuid NOT NULL REFERENCES orders (id),
  at           timestamptz NOT NULL,
  from_status  text NOT NULL,
  to_status    text NOT NULL,
  event        text NOT NULL,
  source       text NOT NULL CHECK (source IN ('local', 'exchange', 'reconciliation')),
  reason       text
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

-- Executions as the venue reports them; one row per (account, venue, trade id): a repeat is a no-op.
-- The account is part of the key because the same venue trade id legitimately appears in two
-- accounts (both sides of one trade between two users; two paper venues numbering from 1).
CREATE TABLE fills (
  id                   bigserial PRIMARY KEY,
  tenant_id            uuid NOT NULL,
  order_id             uuid NOT NULL REFERENCES orders (id),
  profile_id           uuid,
  exchange_account_id  uuid NOT NULL,
  venue                text NOT NULL,
  trade_id             text NOT NULL,
  side                 text NOT NULL CHECK (side IN ('buy', 'sell')),
  quantity             numeric NOT NULL CHECK (quantity > 0),
  price                numeric NOT NULL CHECK (price > 0),
  fee                  numeric NOT NULL,
  fee_currency         text NOT NULL,
  liquidity            text NOT NULL CHECK (liquidity IN ('maker', 'taker')),
  at                   timestamptz NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (exchange_account_id, venue, trade_id)
);
CREATE INDEX fills_order_idx ON fills (order_id, id);

CREATE TABLE positions (
  profile_id               uuid NOT NULL REFERENCES profiles (id),
  symbol                   text NOT NULL,
  tenant_id                uuid NOT NULL,
  quantity                 numeric NOT NULL DEFAULT 0,
  avg_entry_price          numeric,
  cost                     numeric NOT NULL DEFAULT 0,
  realized_pnl             numeric NOT NULL DEFAULT 0,
  fees                     numeric NOT NULL DEFAULT 0,
  round_trip_realized_pnl  numeric NOT NULL DEFAULT 0,
  round_trip_fees          numeric NOT NULL DEFAULT 0,
  opened_at                timestamptz,
  version                  integer NOT NULL DEFAULT 1,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (profile_id, symbol)
);

-- The double-entry capital ledger. Transaction ids are trading-core's deterministic ledgerTxId
-- (`reserve:<clientOrderId>`, `fill:<venue>:<tradeId>`, …), unique per profile, so a retried
-- posting collides with the first instead of booking twice.
CREATE TABLE ledger_transactions (
  profile_id  uuid NOT NULL REFERENCES profiles (id),
  id          text NOT NULL,
  tenant_id   uuid NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('opening', 'deposit', 'withdrawal', 'reserve', 'release', 'fill', 'fee', 'adjustment')),
  ref         text,
  memo        text,
  at          timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (profile_id, id)
);

CREATE TABLE ledger_entries (
  id              bigserial PRIMARY KEY,
  tenant_id       uuid NOT NULL,
  profile_id      uuid NOT NULL,
  transaction_id  text NOT NULL,
  account         text NOT NULL,
  currency        text NOT NULL,
  amount          numeric NOT NULL CHECK (amount <> 0),
  FOREIGN KEY (profile_id, transaction_id) REFERENCES ledger_transactions (profile_id, id)
);
CREATE INDEX ledger_entries_profile_idx ON ledger_entries (profile_id, account, currency);
CREATE INDEX ledger_entries_tx_idx ON ledger_entries (profile_id, transaction_id);

-- Every decision the pipeline took, approved or not: "why did my bot (not) trade?".
CREATE TABLE decisions (
  id          text PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  profile_id  uuid NOT NULL REFERENCES profiles (id),
  seq         bigint NOT NULL,
  at          timestamptz NOT NULL,
  source      text NOT NULL CHECK (source IN ('strategy', 'manual')),
  outcome     text NOT NULL CHECK (outcome IN ('approved', 'denied', 'skipped')),
  stage       text,
  code        text,
  reason      text NOT NULL,
  intent      jsonb NOT NULL,
  order_id    uuid REFERENCES orders (id),
  UNIQUE (profile_id, seq)
);
CREATE INDEX decisions_profile_idx ON decisions (profile_id, seq DESC);

-- Idempotency-Key of manual requests: the first request claims the key (status pending), its
-- response is stored (status done) and replayed to every repeat with the same body.
CREATE TABLE idempotency_keys (
  tenant_id     uuid NOT NULL,
  key           text NOT NULL,
  user_id       uuid NOT NULL,
  request_hash  text NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'done')),
  status_code   integer,
  response      jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);

CREATE TABLE reconciliation_runs (
  id                   uuid PRIMARY KEY,
  tenant_id            uuid NOT NULL,
  exchange_account_id  uuid NOT NULL REFERENCES exchange_accounts (id),
  trigger              text NOT NULL CHECK (trigger IN ('startup', 'periodic', 'manual')),
  status               text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at           timestamptz NOT NULL DEFAULT now(),
  finished_at          timestamptz,
  summary              jsonb,
  error                text
);

CREATE TABLE reconciliation_discrepancies (
  id               bigserial PRIMARY KEY,
  tenant_id        uuid NOT NULL,
  run_id           uuid NOT NULL REFERENCES reconciliation_runs (id),
  kind             text NOT NULL,
  order_id         uuid,
  client_order_id  text,
  details          jsonb NOT NULL,
  resolution       text,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Append-only tables: UPDATE and DELETE are refused for every role, the owner included.
CREATE FUNCTION kestrel_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER order_events_append_only BEFORE UPDATE OR DELETE ON order_events FOR EACH ROW EXECUTE FUNCTION kestrel_append_only();
CREATE TRIGGER fills_append_only BEFORE UPDATE OR DELETE ON fills FOR EACH ROW EXECUTE FUNCTION kestrel_append_only();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions FOR EACH ROW EXECUTE FUNCTION kestrel_append_only();
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION kestrel_append_only();
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions FOR EACH ROW EXECUTE FUNCTION kestrel_append_only();

-- Double entry, enforced at commit: a ledger transaction must have entries, and its entries must
-- sum to zero per currency. Deferred, so the entries of one transaction can be inserted one by one.
-- SECURITY DEFINER: the check reads every entry of the transaction whatever the caller's RLS scope.
CREATE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  -- ledger_entries rows carry transaction_id; ledger_transactions rows are the transaction (id).
  tx_id text := coalesce(to_jsonb(NEW) ->> 'transaction_id', to_jsonb(NEW) ->> 'id');
  bad record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.profile_id = NEW.profile_id AND e.transaction_id = tx_id) THEN
    RAISE EXCEPTION 'ledger transaction % has no entries', tx_id USING ERRCODE = 'check_violation';
  END IF;
  SELECT e.currency, sum(e.amount) AS total INTO bad
    FROM ledger_entries e WHERE e.profile_id = NEW.profile_id AND e.transaction_id = tx_id
    GROUP BY e.currency HAVING sum(e.amount) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced: % entries sum to %', tx_id, bad.currency, bad.total USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();
CREATE CONSTRAINT TRIGGER ledger_transactions_have_entries AFTER INSERT ON ledger_transactions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();

-- Row-level security: the same policy on every tenant-owned table.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['exchange_accounts', 'profiles', 'profile_leases', 'orders', 'order_events', 'fills', 'positions',
    'ledger_transactions', 'ledger_entries', 'decisions', 'idempotency_keys', 'reconciliation_runs', 'reconciliation_discrepancies']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on')
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on')$p$, t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON exchange_accounts, profiles, profile_leases, idempotency_keys TO kestrel_app;
GRANT SELECT, INSERT, UPDATE ON orders, positions, reconciliation_runs TO kestrel_app;
GRANT SELECT, INSERT ON order_events, fills, ledger_transactions, ledger_entries, decisions, reconciliation_discrepancies TO kestrel_app;
GRANT USAGE ON SEQUENCE order_events_id_seq, fills_id_seq, ledger_entries_id_seq, reconciliation_discrepancies_id_seq TO kestrel_app;
