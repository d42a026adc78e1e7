import type { CcxtClient } from './ccxt-client.ts';

export interface CapturedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

const captured = new WeakMap<object, CapturedResponse>();
const installed = new WeakSet<object>();

/**
 * ccxt's errors do not carry the HTTP status or headers (Binance's 429 and 418 both become
 * DDoSProtection; Retry-After is lost). This wraps the instance's `handleErrors` hook — which ccxt
 * calls with status and headers right before it throws — so the error it throws can be looked
 * up with `capturedResponse(error)`. Per error object, so concurrent requests do not mix.
 */
export function installResponseCapture(client: CcxtClient): void {
  if (installed.has(client)) return;
  installed.add(client);
  const handleErrors = client.handleErrors.bind(client);
  const handleHttpStatusCode = client.handleHttpStatusCode.bind(client);
  client.handleErrors = (code, reason, url, method, headers, body, response, requestHeaders, requestBody) => {
    try {
      const handled = handleErrors(code, reason, url, method, headers, body, response, requestHeaders, requestBody);
      // ccxt falls back to the status code table when handleErrors returns undefined; run it here
      // so its error is captured too (then it is a no-op when ccxt runs it again).
      if (handled === undefined) handleHttpStatusCode(code, reason, url, method, body);
      return handled;
    } catch (error) {
      if (typeof error === 'object' && error !== null) captured.set(error, { status: code, headers: headers ?? {} });
      throw error;
    }
  };
}

export function capturedResponse(error: unknown): CapturedResponse | undefined {
  return typeof error === 'object' && error !== null ? captured.get(error) : undefined;
}

/** Retry-After in ms (seconds or an HTTP date), from headers of any capitalisation. */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'retry-after');
  const value = key === undefined ? undefined : headers[key];
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
