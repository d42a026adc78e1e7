-- Tenancy and authentication (owned by platform-service).
-- Row-level security: see packages/db/src/tenant-context.ts for how the tenant is set per transaction.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kestrel_app') THEN
    CREATE ROLE kestrel_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- another migrator (a parallel test database on the same cluster) created it first
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

CREATE TABLE tenants (
  id          uuid PRIMARY KEY,
  slug        text NOT NULL UNIQUE,
  name        text NOT NULL,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL REFERENCES tenants(id),
  username       text NOT NULL,
  display_name   text NOT NULL,
  password_hash  text NOT NULL,
  roles          text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['viewer','trader','admin','operator']::text[]),
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, username)
);
CREATE INDEX users_username_idx ON users (username);

CREATE TABLE refresh_tokens (
  id              uuid PRIMARY KEY,
  tenant_id       uuid NOT NULL REFERENCES tenants(id),
  user_id         uuid NOT NULL REFERENCES users(id),
  family_id       uuid NOT NULL,
  token_hash      text NOT NULL UNIQUE,
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  rotated_at      timestamptz,
  replaced_by     uuid,
  revoked_at      timestamptz,
  revoked_reason  text
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Signing keys are platform-wide (not tenant-owned). The private JWK never leaves platform-service.
CREATE TABLE signing_keys (
  kid          text PRIMARY KEY,
  alg          text NOT NULL,
  public_jwk   jsonb NOT NULL,
  private_jwk  jsonb NOT NULL,
  status       text NOT NULL CHECK (status IN ('active', 'retired')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  retired_at   timestamptz
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (status) WHERE status = 'active';

-- Row-level security on tenant-owned tables: rows are visible to kestrel_app only for the tenant
-- set in app.tenant_id for the current transaction, or for all tenants when app.all_tenants = 'on'
-- (operator-scoped reads). The owner (used by migrations and login look-ups) is not subject to it.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on')
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on');
CREATE POLICY tenant_isolation ON refresh_tokens
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on')
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.all_tenants', true) = 'on');

GRANT SELECT, INSERT, UPDATE ON tenants, users, refresh_tokens TO kestrel_app;
