import { scrubText, withoutCredentials } from '../reduced-error.js';
import { isTimeout } from '../upstream.js';
import { CmdbFailure } from './adapter.js';

/** No CMDB answer we read is larger: a bigger body is garbage (or an attack), not a mapping. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/**
 * Sees every answer's status and its first bytes, scrubbed of credentials: how "test connection" shows an operator
 * what the CMDB really said. Never used for receivers or logs.
 */
export type AnswerHook = (answer: { status: number; excerpt: string }) => void;

/** How much of an answer a hook sees. */
export const EXCERPT_CHARS = 400;

/**
 * One CMDB request: the caller's deadline (signal), the body read up to MAX_ANSWER_BYTES, parsed as JSON. Network
 * errors and timeouts → CMDB_UNREACHABLE; 5xx → CMDB_SERVER_ERROR; 401/403 → CMDB_UNAUTHORIZED; not JSON →
 * CMDB_MALFORMED. Other statuses come back for the adapter to read (BK's gateway answers 400 with its own body).
 */
export async function cmdbRequest(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: unknown; onAnswer?: AnswerHook },
  signal: AbortSignal,
): Promise<JsonAnswer> {
  const where = `${init.method} ${withoutCredentials(url.split('?')[0] ?? url)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal,
      redirect: 'error',
    });
  } catch (err) {
    throw new CmdbFailure(
      'CMDB_UNREACHABLE',
      `${where}: ${isTimeout(err) ? 'timed out' : scrubText(String((err as Error).message ?? err), 200)}`,
    );
  }
  let text: string;
  try {
    text = await readCapped(response);
  } catch (err) {
    if (err instanceof CmdbFailure) throw err;
    throw new CmdbFailure(
      'CMDB_UNREACHABLE',
      `${where}: ${isTimeout(err) ? 'timed out reading' : 'connection lost reading'}`,
    );
  }
  init.onAnswer?.({ status: response.status, excerpt: scrubText(text, EXCERPT_CHARS) });
  if (response.status >= 500) throw new CmdbFailure('CMDB_SERVER_ERROR', `${where}: HTTP ${response.status}`);
  if (response.status === 401 || response.status === 403) {
    throw new CmdbFailure('CMDB_UNAUTHORIZED', `${where}: HTTP ${response.status}`);
  }
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new CmdbFailure('CMDB_MALFORMED', `${where}: HTTP ${response.status}, not JSON`);
  }
}

async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new CmdbFailure('CMDB_MALFORMED', `answer larger than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
