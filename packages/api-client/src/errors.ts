import { ERROR_CODES, errorEnvelopeSchema, type ErrorCode } from '@kestrel/contracts';

/**
 * Failures the client detects itself, next to the server's codes:
 * - `NETWORK_UNREACHABLE`: no HTTP answer at all (server down, offline, CORS refused);
 * - `RESPONSE_INVALID`: an answer whose body does not match the contract (a version mismatch);
 * - `SESSION_ENDED`: a call that needs a token after the session ended (signed out, refresh refused).
 */
export type ClientErrorCode = 'NETWORK_UNREACHABLE' | 'RESPONSE_INVALID' | 'SESSION_ENDED';
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** One problem with one field, as the server reports it (`details` of VALIDATION_FAILED and STRATEGY_PARAMS_INVALID). */
export interface FieldIssue {
  /** JSON Pointer into the request body, e.g. `/strategyParams/fast` or `/killSwitchReason`. */
  path: string;
  message: string;
}

/**
 * Every failed call rejects with an ApiError: `code` is stable (switch on it, never on the
 * message); `message` is the server's, written to be shown to the user and to say what to do next.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly status: number | null = null,
    readonly options: { requestId?: string; details?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }

  get requestId(): string | undefined {
    return this.options.requestId;
  }

  get details(): unknown {
    return this.options.details;
  }

  /** Seconds to wait before retrying (429 and some 503 answers). */
  get retryAfterSeconds(): number | undefined {
    return this.options.retryAfterSeconds;
  }

  /** True for failures a retry may cure (network, 429, 5xx); false for refusals that will not change. */
  get retryable(): boolean {
    return this.code === 'NETWORK_UNREACHABLE' || this.status === 429 || (this.status !== null && this.status >= 500);
  }

  /** The per-field messages of a validation refusal, by JSON Pointer path; empty for other errors. */
  fieldIssues(): FieldIssue[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.flatMap((d: unknown) => {
      const issue = d as { path?: unknown; message?: unknown };
      return typeof issue?.path === 'string' && typeof issue.message === 'string' ? [{ path: issue.path, message: issue.message }] : [];
    });
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** The ApiError of a non-2xx answer: the envelope's code and message, or a generic one by status. */
export function errorFromResponse(status: number, body: unknown, headers: { get(name: string): string | null }): ApiError {
  const retryAfter = Number(headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  const env = errorEnvelopeSchema.safeParse(body);
  if (env.success) {
    const { code, message, requestId, details } = env.data.error;
    return new ApiError(code, message, status, { requestId, details, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) });
  }
  const code: ErrorCode = status === 404 ? 'NOT_FOUND' : status === 429 ? 'RATE_LIMITED' : status >= 500 ? (status === 503 ? 'DEPENDENCY_UNAVAILABLE' : 'INTERNAL_ERROR') : 'BAD_REQUEST';
  return new ApiError(code, ERROR_CODES[code].message, status, retryAfterSeconds ? { retryAfterSeconds } : {});
}
