import type { DbKind } from '@kestrel/db';
import type { BackendConfig } from '@kestrel/backend/config';
import type { BackendDeps } from '@kestrel/backend/app';
import type { PlatformConfig } from '@kestrel/platform-service/config';
import { startTestBackend, type TestBackend } from './backend.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';
import type { KestrelServer } from '@kestrel/server-kit';

export interface TestStack {
  platform: TestPlatform;
  backend: TestBackend;
  /** fetch against the backend with an optional bearer token; JSON in, parsed JSON out. */
  // The body is whatever the route answered: tests check its shape themselves.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api(path: string, init?: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

/** platform-service and backend, both real, on fresh databases of one kind, wired together. */
export async function startTestStack(opts: {
  kind: DbKind;
  platform?: Partial<PlatformConfig>;
  backend?: Partial<BackendConfig>;
  extendBackend?: (app: KestrelServer) => void;
  backendDeps?: Pick<BackendDeps, 'venues' | 'senderOptions' | 'market' | 'runtime' | 'webDistDir'>;
}): Promise<TestStack> {
  const platform = await startTestPlatform({ kind: opts.kind, ...(opts.platform ? { config: opts.platform } : {}) });
  let backend: TestBackend;
  try {
    backend = await startTestBackend({
      kind: opts.kind,
      platformUrl: platform.url,
      issuer: platform.config.JWT_ISSUER,
      ...(opts.backend ? { config: opts.backend } : {}),
      ...(opts.extendBackend ? { extend: opts.extendBackend } : {}),
      ...(opts.backendDeps ? { deps: opts.backendDeps } : {}),
    });
  } catch (err) {
    await platform.close();
    throw err;
  }
  return {
    platform,
    backend,
    async api(path, init = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(backend.url + path, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? null : JSON.stringify(init.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (e.g. /metrics)
      }
      return { status: res.status, headers: res.headers, body };
    },
    async close() {
      await backend.close();
      // A test may have stopped platform-service on purpose already.
      await platform.close().catch(() => {});
    },
  };
}
