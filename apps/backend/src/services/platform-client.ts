import { AppError, ERROR_CODES, errorEnvelopeSchema, type ErrorCode } from '@kestrel/contracts';
import { REQUEST_ID_HEADER } from '@kestrel/server-kit';

/**
 * Calls platform-service on behalf of the caller: forwards the caller's bearer token (the
 * platform checks roles again) and the request id, so one id follows a request across both
 * services' logs. Platform errors come back with their own code; an unreachable platform is 503.
 */
export class PlatformClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 5_000,
  ) {}

  /**
   * `token` is absent for the public sign-in routes (the dashboard's session routes forward them);
   * `headers` adds e.g. `x-forwarded-for`. A platform `Retry-After` (429) is kept on the error.
   */
  async call<T>(opts: { method: string; path: string; token?: string; requestId: string; body?: unknown; headers?: Record<string, string> }): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(opts.path, this.baseUrl), {
        method: opts.method,
        headers: {
          ...opts.headers,
          ...(opts.token === undefined ? {} : { authorization: `Bearer ${opts.token}` }),
          [REQUEST_ID_HEADER]: opts.requestId,
          ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: opts.body === undefined ? null : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new AppError('DEPENDENCY_UNAVAILABLE', 'platform-service is not reachable; check that it runs (npm start starts it) and try again.');
    }
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (res.ok) return json as T;
    const env = errorEnvelopeSchema.safeParse(json);
    if (env.success && env.data.error.code in ERROR_CODES) {
      const code = env.data.error.code as ErrorCode;
      const retryAfter = res.headers.get('retry-after');
      throw new AppError(code, env.data.error.message, { details: env.data.error.details, ...(retryAfter ? { headers: { 'retry-after': retryAfter } } : {}) });
    }
    throw new AppError('DEPENDENCY_UNAVAILABLE', `platform-service answered ${res.status}; try again shortly.`);
  }

  async jwksReachable(url: string): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
    const t = performance.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body = (await res.json()) as { keys?: unknown[] };
      const ok = res.ok && Array.isArray(body.keys) && body.keys.length > 0;
      return { ok, latencyMs: performance.now() - t, ...(ok ? {} : { error: `JWKS answered ${res.status} with no keys` }) };
    } catch (err) {
      return { ok: false, latencyMs: performance.now() - t, error: err instanceof Error ? err.message : 'unreachable' };
    }
  }
}
