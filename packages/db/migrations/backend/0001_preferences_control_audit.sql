-- Backend-owned tables: user preferences, trading control (kill switches) and the audit log.
-- Row-level security: see packages/db/src/tenant-context.ts for how the tenant is set per transaction.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kestrel_app') THEN
    CREATE ROLE kestrel_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;

-- The connecting (owning) role switches to kestrel_app per transaction (SET ROLE), so it must be a
-- member. A superuser is one implicitly; a plain owner role (with CREATEROLE) is granted here.
DO $$
BEGIN
  EXECUTE format('GRANT kestrel_app TO %I', current_user);
EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN
  RAISE WARNING 'could not grant kestrel_app to %: run "GRANT kestrel_app TO %" as a superuser', current_user, current_user;
END
$$;

CREATE TABLE user_preferences (
  tenant_id    uuid NOT NULL,
  user_id      uuid NOT NULL,
  preferences  jsonb NOT NULL,
  version      integer NOT NULL DEFAULT 1,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);

-- The platform-wide switch: exactly one row.
CREATE TABLE platform_control (
  id                   smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  trading_enabled      boolean NOT NULL DEFAULT true,
  kill_switch_reason   text,
  updated_at           timestamptz,
  updated_by           text
);
INSERT INTO platform_control (id) VALUES (1);

CREATE TABLE tenant_trading_control (
  tenant_id            uuid PRIMARY KEY,
  trading_enabled      boolean NOT NULL DEFAULT true,
  kill_switch_reason   text,
  updated_at           timestamptz,
  updated_by           text
);

-- Append-only: the application role may insert and read, never change or delete; a trigger
-- refuses UPDATE and DELETE for every role, the owner included.
CREATE TABLE audit_log (
  id              bigserial PRIMARY KEY,
  tenant_id       uuid,
  actor_id        uuid NOT NULL,
  actor_username  text NOT NULL,
  action          text NOT NULL,
  target          text NOT NULL,
  before          jsonb,
  after           jsonb,
  request_id      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, id DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

ALTER TABLE user_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_trading_control ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_preferences
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY tenant_isolation ON tenant_trading_control
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on')
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on');
-- Platform-wide entries (tenant_id NULL) are visible only in an all-tenants (operator) context.
CREATE POLICY tenant_isolation ON audit_log
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on')
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on');

GRANT SELECT, INSERT, UPDATE ON user_preferences, tenant_trading_control TO kestrel_app;
GRANT SELECT, UPDATE ON platform_control TO kestrel_app;
GRANT SELECT, INSERT ON audit_log TO kestrel_app;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO kestrel_app;
