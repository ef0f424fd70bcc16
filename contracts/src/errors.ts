import { Type, type Static } from '@sinclair/typebox';

/**
 * The one error body every endpoint returns, shaped like a Kubernetes `Status` so that console code which already
 * reads `reason` / `message` from Kubernetes errors reads ours the same way.
 */
export const ErrorBody = Type.Object(
  {
    /** The HTTP status code. */
    code: Type.Integer({ minimum: 400, maximum: 599 }),
    /** A human-readable message in the caller's language (Accept-Language), saying what happened and what to do. */
    message: Type.String(),
    /** A stable, machine-readable reason: `Unauthorized`, `Forbidden`, `Invalid`, `NotFound`, … */
    reason: Type.String(),
    /** Structured facts behind the message (the field that failed, the permission that is missing, …). */
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'ErrorBody', description: 'Error returned by every endpoint of every ks-gpu-ml API group' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const ERROR_REASONS = [
  'BadRequest',
  'Invalid',
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'Conflict',
  'TooManyRequests',
  'InternalError',
  'ServiceUnavailable',
  'UpstreamError',
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];
