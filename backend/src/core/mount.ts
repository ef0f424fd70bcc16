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
export type Handler<S extends RouteSpec> = (ctx: HandlerContext<S>) => Promise<ReplyOf<S> | RawReply>;

/**
 * A success answer sent as is instead of JSON: a download in one of the route's `alternateContent` media
 * types (e.g. CSV). The body skips the response schema; content type and headers are the handler's to set.
 */
export class RawReply {
  constructor(
    readonly body: string | Buffer,
    readonly contentType: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

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
    handler: async (request, reply) => {
      const answer = await handler({
        params: request.params as ParamsOf<S>,
        query: request.query as QueryOf<S>,
        body: request.body as BodyOf<S>,
        // The guard has run (onRequest) for every route mounted here, so identity is set.
        user: request.identity as Identity,
        token: bearerToken(request.headers) ?? '',
        request,
      });
      if (!(answer instanceof RawReply)) return answer;
      // fastify sends a string or Buffer with an explicit content type untouched (no serializer).
      void reply.type(answer.contentType).headers(answer.headers);
      return answer.body;
    },
  });
}
