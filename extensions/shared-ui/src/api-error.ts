// What a failed API call looks like to a page: the HTTP status and the server's own reason and message
// (our backend and ks-apiserver both answer with a Kubernetes-Status-like body), never a bare "Error".

export interface ApiError {
  /** HTTP status; 0 when no answer came back (network error, aborted). */
  status: number;
  reason: string;
  message: string;
}

interface AxiosLikeError {
  message?: unknown;
  response?: { status?: unknown; data?: unknown };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Normalizes whatever the request client rejected with (axios error, Error, string) into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (typeof error === 'string') return { status: 0, reason: '', message: error };
  const e = (error ?? {}) as AxiosLikeError;
  const response = e.response;
  if (response && typeof response === 'object') {
    const status = typeof response.status === 'number' ? response.status : 0;
    const data = response.data;
    if (data && typeof data === 'object') {
      const body = data as Record<string, unknown>;
      const message =
        str(body.message) || str((body.ErrStatus as Record<string, unknown> | undefined)?.message);
      return { status, reason: str(body.reason), message: message || str(e.message) };
    }
    if (typeof data === 'string' && data.trim()) {
      // Plain-text bodies ("404 page not found") and HTML error pages: keep text, drop markup.
      const text = data
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      return { status, reason: '', message: text.slice(0, 500) };
    }
    return { status, reason: '', message: str(e.message) };
  }
  return { status: 0, reason: '', message: str(e.message) || String(error) };
}
