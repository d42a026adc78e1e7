/** Helpers shared by this service's tests (HTTP through `app.inject`, so no port is needed). */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, type ErrorEnvelope, type TokenPair } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import { DEMO_LOGINS } from './seed.ts';

export type DemoRole = (typeof DEMO_LOGINS)[number]['role'];
export const demo = (role: DemoRole) => DEMO_LOGINS.find((l) => l.role === role)!;

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Client IP as seen by the service (inject's default is 127.0.0.1). */
  ip?: string;
  headers?: Record<string, string>;
}

export async function call(app: KestrelServer, method: 'GET' | 'POST' | 'PATCH', url: string, opts: CallOptions = {}) {
  const res = await app.inject({
    method,
    url,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
    ...(opts.body === undefined ? {} : { payload: opts.body as object }),
    ...(opts.ip ? { remoteAddress: opts.ip } : {}),
  });
  return res;
}

export async function login(app: KestrelServer, username: string, password: string, opts: { tenant?: string; ip?: string } = {}) {
  return call(app, 'POST', '/auth/login', { body: { username, password, ...(opts.tenant ? { tenant: opts.tenant } : {}) }, ...(opts.ip ? { ip: opts.ip } : {}) });
}

export async function loginOk(app: KestrelServer, username: string, password: string, tenant?: string): Promise<TokenPair> {
  const res = await login(app, username, password, tenant ? { tenant } : {});
  if (res.statusCode !== 200) throw new Error(`login ${username} answered ${res.statusCode}: ${res.body}`);
  return res.json<TokenPair>();
}

export const loginDemo = (app: KestrelServer, role: DemoRole) => loginOk(app, demo(role).username, demo(role).password);

export const errorOf = (res: { json: <T>() => T }) => res.json<ErrorEnvelope>().error;

/** Verifies an access token the way another service would: against the published JWKS only. */
export async function verifyWithJwks(app: KestrelServer, token: string, issuer: string) {
  const jwks = (await call(app, 'GET', '/.well-known/jwks.json')).json<JSONWebKeySet>();
  return jwtVerify(token, createLocalJWKSet(jwks), { issuer, audience: ACCESS_TOKEN_AUDIENCE, algorithms: ['EdDSA'] });
}
