import type { z } from 'zod';
import { ApiError, errorFromResponse } from './errors.ts';

/** Where the bearer token comes from; the Session implements it. */
export interface TokenSource {
  /** A token valid for a while yet (refreshed first when about to expire); rejects with SESSION_ENDED when signed out. */
  accessToken(): Promise<string>;
  /** A fresh token after the server refused the current one; rejects when the session cannot be renewed. */
  refresh(): Promise<string>;
}

export type Query = Record<string, string | number | boolean | undefined | null>;
/** A query as a caller writes it: every parameter optional (the server fills in defaults such as `limit`). */
export type QueryInput<S extends z.ZodType> = Partial<z.output<S>>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  /** A body sent as it is with its content type (a CSV upload), instead of `body` as JSON. */
  rawBody?: { data: string | Blob | Uint8Array<ArrayBuffer>; contentType: string };
  headers?: Record<string, string>;
  /** false for the sign-in routes; default true. */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface HttpClientOptions {
  /** Origin of the backend, e.g. `http://localhost:4018`; '' in a browser page served by it. */
  baseUrl: string;
  fetch?: typeof fetch;
}

/**
 * JSON over fetch, typed by the contracts: every answer is parsed with its zod schema (a body the
 * contract does not describe is an error, not a silent `any`), and every failure is an ApiError
 * with the server's stable code. A 401 on a token (`AUTH_TOKEN_*`) refreshes the session once and
 * repeats the request once. It shows no toasts and redirects nowhere: callers decide.
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly #fetch: typeof fetch;
  #tokens: TokenSource | undefined;

  constructor(opts: HttpClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/$/, '');
    // Bound: a bare `fetch` reference called as a method loses its window in browsers.
    this.#fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Set once by the client that owns the session (the session itself calls the sign-in routes without it). */
  useTokens(tokens: TokenSource): void {
    this.#tokens = tokens;
  }

  async request<S extends z.ZodType>(schema: S, opts: RequestOptions): Promise<z.output<S>> {
    const body = await this.#send(opts);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError('RESPONSE_INVALID', `The server's answer to ${opts.method ?? 'GET'} ${opts.path} does not match what this app expects: reload the page; if it persists, the app and the server are different versions.`, null, {
        details: parsed.error.issues,
      });
    }
    return parsed.data;
  }

  /** For answers without a body (204). */
  async requestVoid(opts: RequestOptions): Promise<void> {
    await this.#send(opts);
  }

  async #send(opts: RequestOptions): Promise<unknown> {
    const auth = opts.auth ?? true;
    let token = auth ? await this.#requireTokens().accessToken() : undefined;
    let res = await this.#fetchOnce(opts, token);
    if (auth && res.status === 401) {
      const first = await readBody(res);
      const err = errorFromResponse(res.status, first, res.headers);
      if (!err.code.startsWith('AUTH_TOKEN_')) throw err;
      token = await this.#requireTokens().refresh();
      res = await this.#fetchOnce(opts, token);
    }
    const body = await readBody(res);
    if (!res.ok) throw errorFromResponse(res.status, body, res.headers);
    return body;
  }

  async #fetchOnce(opts: RequestOptions, token: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.rawBody) headers['content-type'] = opts.rawBody.contentType;
    else if (opts.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.#fetch(this.baseUrl + opts.path + queryString(opts.query), {
        method: opts.method ?? 'GET',
        headers,
        body: opts.rawBody ? opts.rawBody.data : opts.body === undefined ? null : JSON.stringify(opts.body),
        // The session cookie goes to the same origin only (the browser's default, made explicit).
        credentials: 'same-origin',
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      throw new ApiError('NETWORK_UNREACHABLE', `Kestrel's server did not answer (${opts.method ?? 'GET'} ${opts.path}): check that it runs (npm start) and that you are online.`);
    }
  }

  #requireTokens(): TokenSource {
    if (!this.#tokens) throw new ApiError('SESSION_ENDED', 'Sign in first.');
    return this.#tokens;
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}
