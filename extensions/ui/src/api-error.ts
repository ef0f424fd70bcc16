// What a failed API call looks like to a page: the HTTP status and the server's own reason, message and details
// (the contract's ErrorBody; ks-apiserver answers with a Kubernetes Status of the same fields), never a bare "Error".
import type { ErrorBody } from '@ks-gpu-ml/contracts';

export interface ApiError extends Pick<ErrorBody, 'reason' | 'message' | 'details'> {
  /** HTTP status; 0 when no answer came back (network error, aborted). */
  status: number;
}

interface AxiosLikeError {
  message?: unknown;
  response?: { status?: unknown; data?: unknown };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Normalizes whatever the request client rejected with (axios error, Error, string) into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (typeof error === 'string') return { status: 0, reason: '', message: error, details: {} };
  const e = (error ?? {}) as AxiosLikeError;
  const response = e.response;
  if (response && typeof response === 'object') {
    const status = typeof response.status === 'number' ? response.status : 0;
    const data = response.data;
    if (data && typeof data === 'object') {
      const body = data as Record<string, unknown>;
      const message =
        str(body.message) || str((body.ErrStatus as Record<string, unknown> | undefined)?.message);
      return {
        status,
        reason: str(body.reason),
        message: message || str(e.message),
        details: record(body.details),
      };
    }
    if (typeof data === 'string' && data.trim()) {
      // Plain-text bodies ("404 page not found") and HTML error pages: keep text, drop markup.
      const text = data
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      return { status, reason: '', message: text.slice(0, 500), details: {} };
    }
    return { status, reason: '', message: str(e.message), details: {} };
  }
  return { status: 0, reason: '', message: str(e.message) || String(error), details: {} };
}
