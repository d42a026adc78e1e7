import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import type { Role, TokenPair } from '@kestrel/contracts';
import { eq, signingKeys, type DbKind } from '@kestrel/db';
import type { TestDatabase } from '@kestrel/db/testing';
import type { KestrelServer } from '@kestrel/server-kit';
import type { PlatformConfig } from '@kestrel/platform-service/config';
import { DEMO_LOGINS } from '@kestrel/platform-service/seed';
import { createPlatformFixture, type LogLine, type TestClock } from '@kestrel/platform-service/testing';

export { DEMO_LOGINS };

export interface TestUser {
  id: string;
  username: string;
  password: string;
}

export interface TestTenant {
  tenantId: string;
  slug: string;
  users: { admin: TestUser; trader: TestUser; viewer: TestUser };
}

export interface TestPlatform {
  /** http://127.0.0.1:<port> */
  url: string;
  app: KestrelServer;
  database: TestDatabase;
  /** Parsed log lines of the service (each request's lines carry `requestId`). */
  logs: LogLine[];
  config: PlatformConfig;
  /** The service's clock; `advance(ms)` expires tokens and throttle windows without waiting. */
  clock: TestClock;
  close(): Promise<void>;
  /** POST /auth/login; throws with the response body unless it answers 200. */
  login(username: string, password: string, tenantSlug?: string): Promise<TokenPair>;
  /** A new tenant with an admin, a trader and a viewer, created over HTTP as the demo operator. */
  createTenant(slug?: string): Promise<TestTenant>;
  /** The current signing key, private part included, so tests can forge tokens the service would accept. */
  activeSigningKey(): Promise<{ kid: string; privateJwk: JWK; publicJwk: JWK }>;
}

const operator = DEMO_LOGINS.find((l) => l.role === 'operator')!;
let tenantCounter = 0;

/**
 * A real platform-service on a fresh database (PGlite or PostgreSQL), migrated, with the demo
 * tenant seeded (see DEMO_LOGINS), listening on 127.0.0.1 on a free port. Config defaults suit tests
 * (access tokens live 120 s, issuer http://platform.kestrel.test, flood limits raised); override
 * any of them with `config`.
 */
export async function startTestPlatform(opts: { kind: DbKind; config?: Partial<PlatformConfig> }): Promise<TestPlatform> {
  const fixture = await createPlatformFixture({ kind: opts.kind, ...(opts.config ? { config: opts.config } : {}) });
  try {
    await fixture.app.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await fixture.close();
    throw err;
  }
  const { port } = fixture.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  async function call<T>(method: string, path: string, body: unknown, token?: string): Promise<T> {
    const res = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`platform ${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  async function login(username: string, password: string, tenantSlug?: string): Promise<TokenPair> {
    return call<TokenPair>('POST', '/auth/login', { username, password, ...(tenantSlug ? { tenant: tenantSlug } : {}) });
  }

  return {
    url,
    app: fixture.app,
    database: fixture.database,
    logs: fixture.logs,
    config: fixture.config,
    clock: fixture.clock,
    close: fixture.close,
    login,

    async createTenant(slug = `t-${process.pid}-${++tenantCounter}`) {
      const { accessToken } = await login(operator.username, operator.password);
      const tenant = await call<{ id: string }>('POST', '/tenants', { slug, name: `Test tenant ${slug}` }, accessToken);
      const make = async (role: Exclude<Role, 'operator'>): Promise<TestUser> => {
        // Usernames carry the slug so they are unique across tenants: logging in needs no tenant slug.
        const username = `${role}.${slug}`;
        const password = `kestrel-${role}-${slug}`;
        const user = await call<{ id: string }>('POST', `/tenants/${tenant.id}/users`, { username, password, roles: [role] }, accessToken);
        return { id: user.id, username, password };
      };
      const [admin, trader, viewer] = await Promise.all([make('admin'), make('trader'), make('viewer')]);
      return { tenantId: tenant.id, slug, users: { admin, trader, viewer } };
    },

    async activeSigningKey() {
      const [row] = await fixture.database.db.select().from(signingKeys).where(eq(signingKeys.status, 'active'));
      if (!row) throw new Error('platform has no active signing key');
      return { kid: row.kid, privateJwk: { ...row.privateJwk, kid: row.kid, alg: row.alg } as JWK, publicJwk: { ...row.publicJwk, kid: row.kid, alg: row.alg } as JWK };
    },
  };
}
