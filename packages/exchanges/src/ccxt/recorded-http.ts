import { readFileSync } from 'node:fs';

/**
 * ccxt's HTTP layer replaced by recorded responses, for offline tests. ccxt 4.5 sends every
 * request through `fetchImplementation(url, init)` when one is set (Exchange.fetch in
 * js/src/base/Exchange.js), then runs its own status and error handling on the Response — so the
 * venue's error bodies, 429/418 headers and 5xx pages go through ccxt exactly as in production.
 */
export interface RecordedResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body. */
  readonly body?: unknown;
  /** Raw text body (an HTML error page). */
  readonly text?: string;
  /** No response: the connection fails ('network') or times out ('timeout'). */
  readonly fail?: 'network' | 'timeout';
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly body: string | undefined;
}

interface Route {
  readonly method: string;
  readonly path: string;
  readonly respond: (request: RecordedRequest) => RecordedResponse;
  remaining: number;
}

export class RecordedHttp {
  readonly requests: RecordedRequest[] = [];
  readonly #routes: Route[] = [];

  /** Answers `method path` (path only, any query); the latest matching route wins; `times` limits it. */
  on(method: string, path: string, response: RecordedResponse | ((request: RecordedRequest) => RecordedResponse), times = Infinity): this {
    this.#routes.unshift({ method, path, respond: typeof response === 'function' ? response : () => response, remaining: times });
    return this;
  }

  /** Installs itself as the client's fetch implementation. */
  install(client: object): this {
    (client as { fetchImplementation?: unknown }).fetchImplementation = (url: string, init: { method?: string; body?: unknown }) => this.#fetch(url, init);
    return this;
  }

  async #fetch(url: string, init: { method?: string; body?: unknown }): Promise<Response> {
    const request: RecordedRequest = { method: init.method ?? 'GET', url: new URL(url), body: typeof init.body === 'string' ? init.body : undefined };
    this.requests.push(request);
    const route = this.#routes.find((r) => r.remaining > 0 && r.method === request.method && r.path === request.url.pathname);
    if (!route) return new Response(JSON.stringify({ code: -1, msg: `no recorded response for ${request.method} ${request.url.pathname}` }), { status: 404 });
    route.remaining--;
    const r = route.respond(request);
    if (r.fail === 'network') throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
    if (r.fail === 'timeout') throw new DOMException('The operation was aborted.', 'AbortError');
    const text = r.text ?? JSON.stringify(r.body ?? {});
    return new Response(text, { status: r.status ?? 200, headers: { 'content-type': r.text === undefined ? 'application/json' : 'text/html', ...r.headers } });
  }
}

/** A recorded response from src/ccxt/fixtures. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
}
