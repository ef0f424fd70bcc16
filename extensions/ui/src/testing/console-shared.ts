// What component tests load in place of `@ks-console/shared` (testing/resolve-hooks.mjs redirects the import).
// The real package cannot be loaded by Node: it is published for bundlers only (a `module` field and no `main` or
// `exports`, extensionless and directory imports such as `./utils`, named imports from CommonJS lodash). Our code
// uses one thing from it, `request`: the console's axios instance, whose response interceptor resolves with the
// body and whose errors carry `response.status` / `response.data`. This stand-in keeps exactly that contract and
// hands every request to the contract server the test installed (testing/contract-server.ts).

export interface OutgoingRequest {
  method: string;
  url: string;
  body?: unknown;
  headers: Record<string, string>;
}
export interface Answer {
  status: number;
  body: unknown;
  /** A media type other than JSON the route documents (`alternateContent`), e.g. `text/csv`. */
  contentType?: string;
}
export type Network = (request: OutgoingRequest) => Promise<Answer>;

let network: Network | undefined;

/** Installs the function that answers every request the components make; undefined removes it. */
export function useNetwork(next: Network | undefined): void {
  network = next;
}

interface Config {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  responseType?: string;
}

/** What axios hands over for `responseType: 'blob'`: the body as a Blob, answers and refusals alike. */
const asBlob = (answer: Answer) =>
  new Blob([typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)], {
    type: answer.contentType ?? 'application/json',
  });

async function send(method: string, url: string, body: unknown, config: Config = {}): Promise<unknown> {
  if (!network) throw new Error(`component test: ${method} ${url} sent with no contract server installed`);
  const answer = await network({ method, url, body, headers: config.headers ?? {} });
  if (config.signal?.aborted) throw Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' });
  const data = config.responseType === 'blob' ? asBlob(answer) : answer.body;
  if (answer.status >= 200 && answer.status < 300) return data;
  // axios' rejection: a message naming the status, the answer under `response`.
  throw Object.assign(new Error(`Request failed with status code ${answer.status}`), {
    response: { status: answer.status, data, config: { headers: config.headers ?? {} } },
  });
}

export const request = {
  get: (url: string, config?: Config) => send('GET', url, undefined, config),
  delete: (url: string, config?: Config) => send('DELETE', url, undefined, config),
  post: (url: string, body?: unknown, config?: Config) => send('POST', url, body, config),
  put: (url: string, body?: unknown, config?: Config) => send('PUT', url, body, config),
  patch: (url: string, body?: unknown, config?: Config) => send('PATCH', url, body, config),
};
