import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ErrorBody,
  paramsSchema,
  routerPath,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ReplyOf,
  type RouteSpec,
} from '@ks-gpu-ml/contracts';
import { bearerToken, type Identity } from './identity.js';

/** What a handler gets: typed inputs and the verified caller; nothing fastify-specific unless it asks. */
export interface HandlerContext<S extends RouteSpec> {
  params: ParamsOf<S>;
  query: QueryOf<S>;
  body: BodyOf<S>;
  user: Identity;
  /** The caller's bearer token, for upstream calls made on the caller's behalf. */
  token: string;
  request: FastifyRequest;
}
export type Handler<S extends RouteSpec> = (ctx: HandlerContext<S>) => Promise<ReplyOf<S>>;

const { $id: _errorId, ...errorSchema } = ErrorBody;

/** Registers one contract route: its path, schemas (validation + serialization) and its guard configuration. */
export function mountRoute<S extends RouteSpec>(app: FastifyInstance, spec: S, handler: Handler<S>): void {
  const params = paramsSchema(spec);
  app.route({
    method: spec.method,
    url: routerPath(spec),
    config: { routeSpec: spec },
    schema: {
      ...(params ? { params } : {}),
      ...(spec.schemas.querystring ? { querystring: spec.schemas.querystring } : {}),
      ...(spec.schemas.body ? { body: spec.schemas.body } : {}),
      response: { ...spec.schemas.response, '4xx': errorSchema, '5xx': errorSchema },
    },
    handler: async (request) =>
      handler({
        params: request.params as ParamsOf<S>,
        query: request.query as QueryOf<S>,
        body: request.body as BodyOf<S>,
        // The guard has run (onRequest) for every route mounted here, so identity is set.
        user: request.identity as Identity,
        token: bearerToken(request.headers) ?? '',
        request,
      }),
  });
}
