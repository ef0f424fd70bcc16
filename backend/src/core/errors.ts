import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody, ErrorReason } from '@ks-gpu-ml/contracts';
import { UpstreamError } from '../clients/upstream.js';
import { AppError } from '../shared/errors.js';
import { pickLanguage, type Translate } from './i18n.js';

// The one handler that turns any error into the shared ErrorBody. Only AppErrors carry their message to the
// caller; anything else becomes a 500 that shows the request id and nothing of the cause.
export { AppError, type Message } from '../shared/errors.js';

export const unauthorized = (key: string, params: Record<string, unknown> = {}) =>
  new AppError(401, 'Unauthorized', key, params);

export const invalidField = (field: string, problem: string) =>
  new AppError(400, 'Invalid', 'BACKEND_INVALID_FIELD', { field, problem }, { field, problem });

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** `body.spec.verb` from ajv's `/spec/verb` plus fastify's validation context. */
export function validationField(context: string | undefined, error: AjvError): string {
  const parts = error.instancePath.split('/').filter(Boolean);
  if (error.keyword === 'required' && typeof error.params.missingProperty === 'string') {
    parts.push(error.params.missingProperty);
  }
  if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string') {
    parts.push(error.params.additionalProperty);
  }
  return [context ?? 'request', ...parts].join('.');
}

function validationProblem(error: AjvError): string {
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'additionalProperties') return 'is not a known field';
  if (error.keyword === 'anyOf' || error.keyword === 'const') return 'is not one of the allowed values';
  return error.message ?? 'is not valid';
}

function toAppError(error: FastifyError | AppError | Error): AppError | undefined {
  if (error instanceof AppError) return error;
  const fe = error as FastifyError;
  if (fe.validation && fe.validation.length > 0) {
    const first = fe.validation[0] as unknown as AjvError;
    return invalidField(validationField(fe.validationContext, first), validationProblem(first));
  }
  // fastify's own 4xx (malformed JSON, unsupported media type, body too large) describe the request, not us.
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const reason: ErrorReason = fe.statusCode === 429 ? 'TooManyRequests' : 'BadRequest';
    return new AppError(
      fe.statusCode,
      reason,
      'BACKEND_BAD_REQUEST',
      { problem: fe.message },
      { code: fe.code },
    );
  }
  if (fe.statusCode === 503) return new AppError(503, 'ServiceUnavailable', 'BACKEND_UNAVAILABLE');
  return undefined;
}

export function errorBody(
  error: AppError,
  translate: Translate,
  acceptLanguage: string | undefined,
): ErrorBody {
  return {
    code: error.statusCode,
    reason: error.reason,
    message: translate(pickLanguage(acceptLanguage), error.key, error.params),
    details: error.details,
  };
}

/**
 * Errors fastify's router raises before any route runs (a path parameter longer than the router
 * allows, a malformed URL): answered as bad input in our shape, like every other error.
 */
export function frameworkErrorHandler(translate: Translate) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const problem =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'a path segment is longer than any valid name'
        : 'the URL cannot be decoded';
    const appError = new AppError(
      400,
      'BadRequest',
      'BACKEND_BAD_REQUEST',
      { problem },
      { code: error.code },
    );
    void reply.code(400).send(errorBody(appError, translate, request.headers['accept-language']));
  };
}

/** Whether the caller of a request is a platform admin (told internal details such as upstream URLs). */
export type IsPlatformAdmin = (request: FastifyRequest) => Promise<boolean>;

/** The answer for this caller: a 5xx names its request id; an upstream's details only to platform admins. */
async function answerFor(
  error: AppError,
  request: FastifyRequest,
  isAdmin: IsPlatformAdmin,
): Promise<AppError> {
  if (error.statusCode < 500) return error;
  const message =
    error instanceof UpstreamError && error.forAdmins && (await isAdmin(request)) ? error.forAdmins : error;
  const requestId = request.id;
  return new AppError(
    error.statusCode,
    error.reason,
    message.key,
    { ...message.params, requestId },
    { ...error.details, ...(message === error ? {} : message.params), requestId },
  );
}

export function installErrorHandlers(
  app: FastifyInstance,
  translate: Translate,
  isPlatformAdmin: IsPlatformAdmin = async () => false,
): void {
  app.setErrorHandler(
    async (error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
      const appError =
        toAppError(error) ??
        new AppError(
          500,
          'InternalError',
          'BACKEND_INTERNAL',
          { requestId: request.id },
          { requestId: request.id },
        );
      // A 429 says when to come back (rate-limit.ts puts the delay in its details).
      if (typeof appError.details.retryAfterSeconds === 'number')
        void reply.header('retry-after', String(appError.details.retryAfterSeconds));
      if (appError.statusCode >= 500) {
        // The logger writes errors in their reduced shape (logger.ts): never an upstream's headers or credentials.
        request.log.error({ err: error }, 'request failed');
      } else {
        request.log.info({ reason: appError.reason, details: appError.details }, 'request rejected');
      }
      const answer = await answerFor(appError, request, isPlatformAdmin);
      return reply
        .code(answer.statusCode)
        .send(errorBody(answer, translate, request.headers['accept-language']));
    },
  );

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const error = new AppError(404, 'NotFound', 'BACKEND_NOT_FOUND', { method: request.method, path });
    void reply.code(404).send(errorBody(error, translate, request.headers['accept-language']));
  });
}
