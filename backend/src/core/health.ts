import type { FastifyInstance } from 'fastify';

/**
 * `/healthz`: the process serves HTTP (liveness; restarting does not fix a slow upstream, so no checks here).
 * `/readyz`: kube-apiserver and the store answer, and we are not shutting down (readiness gates traffic).
 */
export type ReadinessCheck = () => Promise<void>;

export function installHealth(
  app: FastifyInstance,
  checks: Record<string, ReadinessCheck>,
  options: { timeoutMs: number; isShuttingDown: () => boolean },
): void {
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn' }, async (request, reply) => {
    const results: Record<string, string> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) =>
              setTimeout(() => reject(new Error('timed out')), options.timeoutMs).unref(),
            ),
          ]);
          results[name] = 'ok';
        } catch (err) {
          request.log.warn({ check: name, err }, 'readiness check failed');
          results[name] = 'failed';
        }
      }),
    );
    const ready = !options.isShuttingDown() && Object.values(results).every((r) => r === 'ok');
    if (options.isShuttingDown()) results.shutdown = 'in progress';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks: results });
  });
}
