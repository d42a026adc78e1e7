import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, ERROR_CODES, type ErrorCode, type ErrorEnvelope } from '@kestrel/contracts';

function envelope(code: ErrorCode, message: string, requestId: string, details?: unknown): ErrorEnvelope {
  return { error: { code, message, requestId, ...(details === undefined ? {} : { details }) } };
}

function fastifyErrorCode(err: FastifyError): ErrorCode | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'PAYLOAD_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'BAD_REQUEST';
    default:
      break;
  }
  if (err.statusCode === 429) return 'RATE_LIMITED';
  if (err.statusCode === 413) return 'PAYLOAD_TOO_LARGE';
  if (err.statusCode === 404) return 'NOT_FOUND';
  if (err.statusCode === 400 || err.validation) return 'BAD_REQUEST';
  return undefined;
}

/**
 * One error envelope for every failure: `{ error: { code, message, requestId, details? } }`.
 * 5xx answers carry only the generic message and the request id; the cause goes to the log.
 */
/**
 * A lost database connection (server restarted, connections terminated, network): the request's
 * transaction did not commit. PostgreSQL's admin-shutdown class 57P0x, connection exceptions 08xxx,
 * and node-postgres' own messages; the cause may be wrapped (drizzle's "Failed query").
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (/^57P0[1-3]$/.test(code) || /^08\d{3}$/.test(code) || code === 'ECONNREFUSED' || code === 'ECONNRESET')) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && /Connection terminated|terminating connection due to administrator command|Client has encountered a connection error/.test(message)) return true;
  }
  return false;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
      if (err.status >= 500) req.log.error({ err }, 'request failed');
      return reply.status(err.status).send(envelope(err.code, err.message, req.id, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: v.instancePath || '/',
        where: err.validationContext ?? 'body',
        message: v.message ?? 'invalid',
      }));
      return reply.status(400).send(envelope('VALIDATION_FAILED', ERROR_CODES.VALIDATION_FAILED.message, req.id, details));
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return reply.status(500).send(envelope('INTERNAL_ERROR', ERROR_CODES.INTERNAL_ERROR.message, req.id));
    }
    const fe = err as FastifyError;
    const code = fastifyErrorCode(fe);
    if (code) {
      if (code === 'RATE_LIMITED' && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
      return reply.status(ERROR_CODES[code].status).send(envelope(code, ERROR_CODES[code].message, req.id));
    }
    if (isDatabaseUnavailable(err)) {
      req.log.error({ err }, 'request failed: the database connection was lost');
      reply.header('retry-after', '1');
      return reply.status(503).send(envelope('DEPENDENCY_UNAVAILABLE', 'The database connection was lost; nothing was committed by this request. Try again in a moment.', req.id));
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send(envelope('INTERNAL_ERROR', ERROR_CODES.INTERNAL_ERROR.message, req.id));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(envelope('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}; see /docs for the API.`, req.id));
  });
}
