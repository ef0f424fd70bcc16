// The error bodies ks-apiserver writes: Kubernetes metav1.Status for API errors, RFC 6749 §5.2 for /oauth.
import type { ServerResponse } from 'node:http';

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string };
  code: number;
}

export function status(code: number, reason: string, message: string, details?: Status['details']): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export const sendStatus = (res: ServerResponse, s: Status): void => sendJson(res, s.code, s);

export const unauthorized = (): Status => status(401, 'Unauthorized', 'Unauthorized');
export const notFound = (what = 'the server could not find the requested resource'): Status =>
  status(404, 'NotFound', what);

/** RFC 6749 §5.2 error body, as ks-apiserver's oauth package writes it. */
export const oauthError = (
  error: string,
  description?: string,
): { error: string; error_description?: string } =>
  description ? { error, error_description: description } : { error };
