import { Histogram, Registry, collectDefaultMetrics, Gauge } from 'prom-client';
import type { KestrelServer } from '@kestrel/server-kit';

export interface Metrics {
  registry: Registry;
  socketConnections: Gauge<'namespace'>;
}

/** Prometheus metrics: HTTP latency by route and status, socket connections, process metrics. */
export function registerMetrics(app: KestrelServer): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const socketConnections = new Gauge({
    name: 'socket_connections',
    help: 'Open Socket.IO connections by namespace',
    labelNames: ['namespace'] as const,
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the raw URL: ids in paths would explode the label set.
    const route = req.routeOptions.url ?? 'unmatched';
    httpDuration.observe({ method: req.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  return { registry, socketConnections };
}
