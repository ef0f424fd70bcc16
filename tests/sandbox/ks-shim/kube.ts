// The shim's only connection to kube-apiserver: the admin credentials of a kubeconfig, used directly for
// the shim's own reads and SubjectAccessReviews, and with Impersonate-* headers to act as a user.
import { KubeConfig } from '@kubernetes/client-node';
import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { SubjectAccessReview } from './authz.js';
import { impersonationHeaders, responseHeaders } from './headers.js';

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

export interface KubeUser {
  name: string;
  groups: readonly string[];
}

export class KubeClient {
  private constructor(
    readonly server: URL,
    private readonly agent: http.Agent,
    private readonly adminHeaders: OutgoingHttpHeaders,
  ) {}

  static async fromKubeconfig(file: string): Promise<KubeClient> {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`${file}: no current cluster`);
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const server = new URL(cluster.server);
    const agentOptions: https.AgentOptions = {
      keepAlive: true,
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
      ...(opts.servername ? { servername: opts.servername } : {}),
    };
    const agent =
      server.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent({ keepAlive: true });
    const adminHeaders: OutgoingHttpHeaders = { ...((opts.headers ?? {}) as OutgoingHttpHeaders) };
    if (opts.auth) adminHeaders.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return new KubeClient(server, agent, adminHeaders);
  }

  close(): void {
    this.agent.destroy();
  }

  #send(method: string, path: string, headers: OutgoingHttpHeaders): http.ClientRequest {
    const target = new URL(path, this.server);
    const transport = target.protocol === 'https:' ? https : http;
    return transport.request(target, { method, headers, agent: this.agent });
  }

  /** A JSON request as the shim's admin identity. */
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 15_000,
  ): Promise<KubeResponse<T>> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = this.#send(method, path, {
        ...this.adminHeaders,
        accept: 'application/json',
        ...(payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {}),
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`kube-apiserver: ${method} ${path} timed out`)));
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 500, body: parsed as T });
        });
      });
      req.end(payload);
    });
  }

  /** GET as admin; undefined on 404 (an absent object or an uninstalled CRD), an Error on other failures. */
  async get<T>(path: string): Promise<T | undefined> {
    const res = await this.request<T>('GET', path);
    if (res.status === 404) return undefined;
    if (res.status >= 300) throw new Error(`kube-apiserver: GET ${path} answered ${res.status}`);
    return res.body;
  }

  /** Asks kube-apiserver whether the subject of the review may do what it describes. */
  async review(sar: SubjectAccessReview): Promise<{ allowed: boolean; reason: string }> {
    const res = await this.request<{ status?: { allowed?: boolean; reason?: string } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      sar,
    );
    if (res.status >= 300) throw new Error(`kube-apiserver: SubjectAccessReview answered ${res.status}`);
    return { allowed: res.body.status?.allowed === true, reason: res.body.status?.reason ?? '' };
  }

  /**
   * Streams `req` to kube-apiserver as `user` (impersonation with the admin credentials) and the answer back,
   * watches included. Resolves with the upstream status once the response has ended.
   */
  proxyAs(user: KubeUser, pathAndQuery: string, req: IncomingMessage, res: ServerResponse): Promise<number> {
    return new Promise((resolve, reject) => {
      const upstream = this.#send(
        req.method ?? 'GET',
        pathAndQuery,
        impersonationHeaders(req.headers, user, this.adminHeaders),
      );
      upstream.on('error', reject);
      let done = false;
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, responseHeaders(answer.headers));
        res.flushHeaders();
        answer.pipe(res);
        answer.on('end', () => {
          done = true;
          resolve(answer.statusCode ?? 502);
        });
        answer.on('error', reject);
      });
      // A caller that goes away mid-answer (a closed watch) ends the upstream request too.
      res.on('close', () => {
        if (!done) upstream.destroy();
      });
      req.pipe(upstream);
    });
  }
}
