import { HttpStatusError, scrubText } from './reduced-error.js';
import { noObserve, timed, type ObserveUpstream } from './upstream.js';

/**
 * Alertmanager's HTTP API v2, the silences part (0.25 `api/v2/openapi.yaml`): list, create, expire. Every call has
 * a deadline; a failure is thrown as an HttpStatusError (method, URL without credentials, status, Alertmanager's
 * own short reason) or the fetch error, for the caller to wrap and log reduced.
 */
export interface AlertmanagerMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export interface PostableSilence {
  matchers: AlertmanagerMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface GettableSilence extends PostableSilence {
  id: string;
  status: { state: string };
  updatedAt?: string;
}

export interface AlertmanagerClient {
  listSilences(): Promise<GettableSilence[]>;
  /** Resolves with the new silence's id. */
  createSilence(silence: PostableSilence): Promise<string>;
  /** Expires the silence now; false when Alertmanager has no silence of that id. */
  expireSilence(id: string): Promise<boolean>;
}

export interface AlertmanagerClientOptions {
  baseUrl: string;
  timeoutMs: number;
  observe?: ObserveUpstream;
}

/** The part of an error body worth showing: Alertmanager answers 400s with a plain string or `{message}`. */
async function reasonOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'string') return scrubText(parsed, 300);
    if (parsed && typeof (parsed as { message?: unknown }).message === 'string')
      return scrubText((parsed as { message: string }).message, 300);
  } catch {
    /* plain text */
  }
  return scrubText(text, 300);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createAlertmanagerClient(options: AlertmanagerClientOptions): AlertmanagerClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const observe = options.observe ?? noObserve;

  /** `missingIsAnswer`: a 404 is an answer (no such silence), not a failure. */
  async function request(
    method: string,
    path: string,
    body?: unknown,
    missingIsAnswer = false,
  ): Promise<Response> {
    const url = `${base}/api/v2${path}`;
    return timed(observe, 'alertmanager', async () => {
      const response = await fetch(url, {
        method,
        signal: AbortSignal.timeout(options.timeoutMs),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (response.status >= 400 && !(missingIsAnswer && response.status === 404))
        throw new HttpStatusError(method, url, response.status, await reasonOf(response));
      return response;
    });
  }

  return {
    async listSilences() {
      const response = await request('GET', '/silences');
      return (await response.json()) as GettableSilence[];
    },
    async createSilence(silence) {
      const response = await request('POST', '/silences', silence);
      const answer = (await response.json()) as { silenceID?: string };
      if (typeof answer.silenceID !== 'string')
        throw new HttpStatusError(
          'POST',
          `${base}/api/v2/silences`,
          response.status,
          'no silenceID in answer',
        );
      return answer.silenceID;
    },
    async expireSilence(id) {
      // Alertmanager 0.25 answers 422 to an id that is not a UUID and 500 to DELETE of an unknown one: both are
      // "no such silence" here, asked first, so only its real failures are errors.
      if (!UUID.test(id)) return false;
      const found = await request('GET', `/silence/${id}`, undefined, true);
      if (found.status === 404) {
        await found.body?.cancel();
        return false;
      }
      const silence = (await found.json()) as GettableSilence;
      if (silence.status.state === 'expired') return true;
      const response = await request('DELETE', `/silence/${id}`);
      await response.body?.cancel();
      return true;
    },
  };
}
