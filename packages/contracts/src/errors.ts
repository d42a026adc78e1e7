import { z } from 'zod';

/**
 * Every error code the API can return. Codes are stable: clients switch on them, so a code is
 * never renamed or reused for another meaning; new ones are appended.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid: see details for each field.' },
  BAD_REQUEST: { status: 400, message: 'The request could not be understood.' },
  AUTH_TOKEN_MISSING: { status: 401, message: 'Sign in: this request needs a bearer access token.' },
  AUTH_TOKEN_MALFORMED: { status: 401, message: 'The access token is not a well-formed JWT; sign in again.' },
  AUTH_TOKEN_ALGORITHM: { status: 401, message: 'The access token uses a signing algorithm that is not accepted; sign in again.' },
  AUTH_TOKEN_SIGNATURE: { status: 401, message: 'The access token signature does not verify; sign in again.' },
  AUTH_TOKEN_EXPIRED: { status: 401, message: 'The access token has expired; refresh it or sign in again.' },
  AUTH_TOKEN_CLAIMS: { status: 401, message: 'The access token lacks a required claim or has a wrong issuer, audience or expiry; sign in again.' },
  AUTH_TOKEN_UNKNOWN_KEY: { status: 401, message: 'The access token was signed with a key this service does not know; sign in again.' },
  AUTH_INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password.' },
  AUTH_REFRESH_INVALID: { status: 401, message: 'The refresh token is not valid or has expired; sign in again.' },
  AUTH_REFRESH_REUSED: { status: 401, message: 'This refresh token was already used: every session of this login was signed out for safety. Sign in again.' },
  AUTH_ACCOUNT_DISABLED: { status: 403, message: 'This account or its tenant is disabled; ask your administrator.' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this action.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state; reload and try again.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests: wait for the time in Retry-After, then try again.' },
  LOGIN_THROTTLED: { status: 429, message: 'Too many failed sign-in attempts: wait for the time in Retry-After, then try again.' },
  INTERNAL_ERROR: { status: 500, message: 'Something went wrong on our side. Try again; if it persists, report the request id.' },
  DEPENDENCY_UNAVAILABLE: { status: 503, message: 'A service this request needs is not reachable; try again shortly.' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, message: 'This request needs an Idempotency-Key header (1–128 characters of A-Z a-z 0-9 . _ : -), unique per intended action.' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'This Idempotency-Key was already used for a different request; use a new key for a new action.' },
  IDEMPOTENCY_KEY_IN_PROGRESS: { status: 409, message: 'A request with this Idempotency-Key is still being processed; retry shortly to get its response.' },
  STRATEGY_UNKNOWN: { status: 400, message: 'Unknown strategy: see the list of available strategies.' },
  STRATEGY_PARAMS_INVALID: { status: 400, message: "The strategy parameters do not match the strategy's schema: see details." },
  EXCHANGE_ACCOUNT_IN_USE: { status: 409, message: 'The exchange account is used by profiles or orders and cannot be deleted.' },
  PROFILE_STATE_CONFLICT: { status: 409, message: 'The profile is not in a state that allows this action; reload it and try again.' },
  ORDER_DENIED: { status: 422, message: 'The order was denied by a trading rule or the risk engine: see details for the decision, its code and reason.' },
  ORDER_NOT_CANCELLABLE: { status: 409, message: 'The order is already finished (filled, cancelled, rejected or expired) and cannot be cancelled.' },
  CANDLES_CSV_INVALID: { status: 400, message: 'The candle CSV is not valid (see the line in the message): fix that line and upload the file again; nothing was stored.' },
  BACKTEST_NO_DATA: { status: 400, message: 'No stored candles of this symbol and timeframe fall in the requested range: widen from/to or import candles for it first.' },
  BACKTEST_INVALID_CONFIG: { status: 400, message: 'The backtest cannot run with this configuration: see the message and details, change the request and submit it again.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const errorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

/** The one error envelope of every non-2xx response. */
export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: errorCodeSchema,
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'ErrorEnvelope' });
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** Thrown by services and routes; turned into the envelope by the error handler. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, message?: string, options: { details?: unknown; headers?: Record<string, string> } = {}) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
