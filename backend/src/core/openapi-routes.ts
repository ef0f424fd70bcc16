import type { FastifyInstance } from 'fastify';
import type { RouteSpec } from '@ks-gpu-ml/contracts';
import { buildOpenApi } from './openapi.js';

/**
 * `GET /openapi` lists the served groups; `GET /openapi/<group>.json` is one group's document. Outside `/kapis`
 * on purpose: ks-apiserver would authorize `/kapis/<group>/v1alpha1/openapi.json` as a resource named
 * `openapi.json`. The documents describe only the API, no data, so they need no token.
 */
export function installOpenApi(app: FastifyInstance, routes: readonly RouteSpec[], version: string): void {
  const groups = [...new Set(routes.map((r) => r.group))].sort();
  const documents = new Map(groups.map((g) => [g, JSON.stringify(buildOpenApi(g, routes, version))]));

  app.get('/openapi', async () => ({
    groups: groups.map((group) => ({ group, url: `/openapi/${group}.json` })),
  }));
  app.get<{ Params: { file: string } }>('/openapi/:file', async (request, reply) => {
    const document = documents.get(request.params.file.replace(/\.json$/, ''));
    if (!document) return reply.callNotFound();
    return reply.type('application/json').send(document);
  });
}
