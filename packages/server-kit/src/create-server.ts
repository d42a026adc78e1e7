import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { registerErrorHandling } from './errors.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.ts';

export interface ServerOptions {
  logger: Logger;
  bodyLimit?: number;
  trustProxy?: boolean;
}

/**
 * A Fastify instance with Kestrel's cross-cutting behaviour: zod validation and serialisation,
 * the request id (accepted, generated, logged as `requestId`, returned on every response) and the
 * one error envelope.
 */
export function createServer(options: ServerOptions) {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    genReqId: requestIdFrom,
    // Every log line of a request carries `requestId`.
    // Probes (/health*, /metrics) are not logged per request: they would drown the real traffic.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: (req) => isProbe(req.url) }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    trustProxy: options.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (req, reply) => {
    reply.header(REQUEST_ID_HEADER, req.id);
  });
  registerErrorHandling(app);
  return app;
}

export type KestrelServer = ReturnType<typeof createServer>;

/** Health checks and metric scrapes: never logged per request, never rate limited. */
export const isProbe = (url: string) => url.startsWith('/health') || url === '/metrics';
