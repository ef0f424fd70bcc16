import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ObserveUpstream } from '../clients/upstream.js';

/**
 * Prometheus metrics on `/metrics`. A registry per app (not prom-client's global one), so that tests can build
 * several apps in one process.
 */
export interface Metrics {
  registry: Registry;
  observeUpstream: ObserveUpstream;
  /** Queues (e.g. alert deliveries) report their depth through this hook; read at scrape time. */
  registerQueue(name: string, depth: () => number): void;
  rejections: Counter<'reason'>;
}

export function createMetrics(buildVersion: string): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const upstream = new Histogram({
    name: 'ksgpuml_upstream_request_duration_seconds',
    help: 'Duration of calls to upstream services, by client and outcome (ok, error, timeout)',
    labelNames: ['client', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const queues = new Map<string, () => number>();
  new Gauge({
    name: 'ksgpuml_queue_depth',
    help: 'Items waiting in each work queue',
    labelNames: ['queue'],
    registers: [registry],
    collect() {
      for (const [queue, depth] of queues) this.set({ queue }, depth());
    },
  });

  new Gauge({
    name: 'ksgpuml_build_info',
    help: 'Always 1; labels carry the build',
    labelNames: ['version', 'node_version'],
    registers: [registry],
  }).set({ version: buildVersion, node_version: process.version }, 1);

  const rejections = new Counter({
    name: 'ksgpuml_request_rejections_total',
    help: 'Requests refused before reaching a handler, by reason (Unauthorized, Forbidden, Invalid)',
    labelNames: ['reason'],
    registers: [registry],
  });

  return {
    registry,
    rejections,
    observeUpstream: (client, outcome, seconds) => upstream.observe({ client, outcome }, seconds),
    registerQueue: (name, depth) => void queues.set(name, depth),
  };
}

/** Request duration by route template (never the raw URL: names in paths would explode cardinality). */
export function installMetrics(app: FastifyInstance, metrics: Metrics): void {
  const requests = new Histogram({
    name: 'ksgpuml_http_request_duration_seconds',
    help: 'Duration of HTTP requests served, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    void reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
