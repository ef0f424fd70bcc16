import { ErrorBody, openApiPath, paramsSchema, type RouteSpec } from '@ks-gpu-ml/contracts';
import type { TSchema } from '@sinclair/typebox';

/**
 * OpenAPI 3.1 documents, one per API group, generated from the same route specs and TypeBox schemas that fastify
 * validates and serializes with (3.1 because its Schema Object is JSON Schema, so TypeBox output needs no
 * translation). Served at `/openapi/<group>.json` and written to `backend/openapi/<group>.json` by
 * `npm run openapi -w backend` (docs/adr/0003).
 */
type Json = Record<string, unknown>;

/** A plain JSON copy: drops TypeBox's symbol keys and any `$id` (ids belong in components, not inline). */
export function plainSchema(schema: TSchema): Json {
  return JSON.parse(
    JSON.stringify(schema, (key, value: unknown) => (key === '$id' ? undefined : value)),
  ) as Json;
}

const errorRef = { $ref: '#/components/schemas/ErrorBody' };
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorRef } },
});

function parameters(spec: RouteSpec): Json[] {
  const out: Json[] = [];
  const path = paramsSchema(spec);
  for (const [name, schema] of Object.entries(path?.properties ?? {})) {
    out.push({ name, in: 'path', required: true, schema: plainSchema(schema) });
  }
  const query = spec.schemas.querystring;
  for (const [name, schema] of Object.entries(query?.properties ?? {})) {
    out.push({
      name,
      in: 'query',
      required: query?.required?.includes(name) ?? false,
      schema: plainSchema(schema),
    });
  }
  return out;
}

function operation(spec: RouteSpec): Json {
  const responses: Json = {};
  for (const [status, schema] of Object.entries(spec.schemas.response)) {
    const alternates = status === '200' ? Object.entries(spec.schemas.alternateContent ?? {}) : [];
    responses[status] = {
      description: 'Success',
      content: {
        'application/json': { schema: plainSchema(schema) },
        ...Object.fromEntries(alternates.map(([type, alt]) => [type, { schema: plainSchema(alt) }])),
      },
    };
  }
  responses['400'] = errorResponse('A parameter or field is invalid; details.field names it');
  responses['401'] = errorResponse(
    'No bearer token, a rejected one, or X-Remote-User / X-Remote-Group not matching it',
  );
  responses['403'] = errorResponse(
    'The caller lacks the permission; details names verb, group, resource and scope',
  );
  responses.default = errorResponse('Any other error, in the same shape');
  return {
    operationId: spec.id,
    summary: spec.summary,
    tags: [spec.resource],
    parameters: parameters(spec),
    ...(spec.schemas.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: plainSchema(spec.schemas.body) } },
          },
        }
      : {}),
    responses,
    // Not an OpenAPI field: tooling (RoleTemplate generation, reviewers) reads the permission the route needs.
    'x-kubernetes-action': {
      verb: spec.verb,
      group: spec.group,
      resource: spec.resource,
      subresource: spec.subresource,
      scope: spec.scope,
    },
  };
}

export function buildOpenApi(group: string, routes: readonly RouteSpec[], version: string): Json {
  const paths: Record<string, Json> = {};
  for (const spec of routes.filter((r) => r.group === group)) {
    const path = (paths[openApiPath(spec)] ??= {});
    path[spec.method.toLowerCase()] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: group,
      version,
      description: `API group ${group} of the ks-gpu-ml backend, reached through ks-apiserver at /kapis/${group}/…`,
    },
    paths,
    components: {
      schemas: { ErrorBody: plainSchema(ErrorBody) },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'KubeSphere or Kubernetes token' },
      },
    },
    security: [{ bearer: [] }],
  };
}
