-- Historical candles: one dataset per (owner, symbol, timeframe), its bars stored column-wise in
-- chunks. tenant_id NULL is public data (the bundled files) that every tenant reads; a tenant's own
-- dataset is visible to that tenant only. Public datasets are written only by the owner connection
-- (start-up seed, the import CLI): the application role can read them, never change them.

CREATE TABLE candle_datasets (
  id            uuid PRIMARY KEY,
  tenant_id     uuid,
  symbol        text NOT NULL,
  timeframe     text NOT NULL,
  -- Where the bars came from (a file name, "upload", …): shown in the coverage list.
  source        text NOT NULL,
  bars          integer NOT NULL DEFAULT 0 CHECK (bars >= 0),
  first_time    bigint,
  last_time     bigint,
  -- Gaps (consecutive bars more than one bar apart), kept up to date by every import so that the
  -- coverage list never has to read the bars: their number, the bars they miss, the first 100.
  gap_count     integer NOT NULL DEFAULT 0,
  missing_bars  bigint NOT NULL DEFAULT 0,
  gaps          jsonb NOT NULL DEFAULT '[]',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- One public and one per-tenant dataset per symbol and timeframe (NULL would not collide in a plain
-- unique index).
CREATE UNIQUE INDEX candle_datasets_key_idx
  ON candle_datasets ((coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)), symbol, timeframe);

-- ≤ 10,000 bars each; `data` is six little-endian Float64 columns back to back
-- (time, open, high, low, close, volume), `bars` values each. Chunks of a dataset never overlap.
CREATE TABLE candle_chunks (
  dataset_id  uuid NOT NULL REFERENCES candle_datasets (id) ON DELETE CASCADE,
  tenant_id   uuid,
  first_time  bigint NOT NULL,
  last_time   bigint NOT NULL,
  bars        integer NOT NULL CHECK (bars > 0 AND bars <= 10000),
  data        bytea NOT NULL,
  PRIMARY KEY (dataset_id, first_time),
  CHECK (last_time >= first_time),
  CHECK (octet_length(data) = bars * 48)
);

ALTER TABLE candle_datasets ENABLE ROW LEVEL SECURITY;
ALTER TABLE candle_chunks ENABLE ROW LEVEL SECURITY;
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['candle_datasets', 'candle_chunks']
  LOOP
    -- Read: public rows and the tenant's own (policies for the same command are OR-ed).
    EXECUTE format($p$CREATE POLICY public_read ON %I FOR SELECT USING (tenant_id IS NULL)$p$, t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on')
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on')$p$, t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON candle_datasets, candle_chunks TO kestrel_app;
