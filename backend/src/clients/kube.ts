import {
  AuthenticationV1Api,
  AuthorizationV1Api,
  KubeConfig,
  Observable,
  VersionApi,
  type ConfigurationOptions,
  type V1SubjectAccessReviewStatus,
  type V1TokenReviewStatus,
} from '@kubernetes/client-node';
import http, { type Agent } from 'node:http';
import https from 'node:https';
import { UpstreamError } from '../platform/errors.js';
import { noObserve, timed, type ObserveUpstream } from './upstream.js';

/**
 * kube-apiserver, as the backend's own service account (in a pod) or the KUBECONFIG user (sandbox, development).
 * Users' tokens are only ever sent inside TokenReview bodies, never used as our credentials.
 */
export interface KubeClient {
  readonly config: KubeConfig;
  tokenReview(token: string): Promise<V1TokenReviewStatus>;
  subjectAccessReview(spec: {
    user: string;
    groups: string[];
    uid?: string;
    resourceAttributes: Record<string, string>;
  }): Promise<V1SubjectAccessReviewStatus>;
  /** Resolves when kube-apiserver answers /version. */
  ping(): Promise<void>;
  /** Per-call options that bound a request's duration; pass them to any generated API call. */
  callOptions(): ConfigurationOptions;
}

export interface KubeClientOptions {
  kubeconfigPath?: string;
  timeoutMs: number;
  observe?: ObserveUpstream;
}

export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromCluster();
  return kc;
}

/** How long an idle connection to kube-apiserver is kept: well under its own 90 s idle timeout. */
export const KUBE_IDLE_SOCKET_MS = 30_000;

/**
 * One keep-alive agent for kube-apiserver, with the kubeconfig's TLS settings (CA, client certificate, server name).
 * client-node 1.x builds a new agent, so a new TCP and TLS connection, for every request: ~13 ms a
 * SubjectAccessReview on the sandbox, paid by every request whose authorization is not cached. Bearer tokens
 * stay per request (applySecurityAuthentication re-reads a rotated service-account token into the headers). Left
 * to client-node (undefined) behind a proxy, whose agents it builds itself.
 */
async function keepAliveAgent(config: KubeConfig): Promise<Agent | undefined> {
  const cluster = config.getCurrentCluster();
  if (!cluster || cluster.proxyUrl) return undefined;
  const tls: https.RequestOptions = {};
  await config.applyToHTTPSOptions(tls);
  const keep = { keepAlive: true, timeout: KUBE_IDLE_SOCKET_MS };
  if (cluster.server.startsWith('http:')) return new http.Agent(keep);
  return new https.Agent({
    ...keep,
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    pfx: tls.pfx,
    passphrase: tls.passphrase,
    servername: tls.servername,
    ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
  });
}

export function createKubeClient(options: KubeClientOptions): KubeClient {
  const config = loadKubeConfig(options.kubeconfigPath);
  const observe = options.observe ?? noObserve;
  const authn = config.makeApiClient(AuthenticationV1Api);
  const authz = config.makeApiClient(AuthorizationV1Api);
  const version = config.makeApiClient(VersionApi);

  // A kubeconfig whose TLS files cannot be read fails every call with client-node's own error instead.
  const agent = keepAliveAgent(config).catch(() => undefined);
  // client-node has no timeout setting; an AbortSignal per request, set by a middleware, bounds each call. The
  // same middleware hands every call one keep-alive agent (see keepAliveAgent).
  const callOptions = (): ConfigurationOptions => ({
    middleware: [
      {
        pre: (context) => {
          context.setSignal(AbortSignal.timeout(options.timeoutMs));
          return new Observable(
            agent.then((shared) => {
              if (shared) context.setAgent(shared);
              return context;
            }),
          );
        },
        post: (context) => new Observable(Promise.resolve(context)),
      },
    ],
    middlewareMergeStrategy: 'append',
  });

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await timed(observe, 'kube', fn);
    } catch (err) {
      throw new UpstreamError('kube-apiserver', err);
    }
  }

  return {
    config,
    callOptions,
    async tokenReview(token) {
      const review = await call(() =>
        authn.createTokenReview(
          { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } } },
          callOptions(),
        ),
      );
      return review.status ?? { authenticated: false };
    },
    async subjectAccessReview(spec) {
      const review = await call(() =>
        authz.createSubjectAccessReview(
          { body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec } },
          callOptions(),
        ),
      );
      return review.status ?? { allowed: false };
    },
    async ping() {
      await call(() => version.getCode(undefined, callOptions()));
    },
  };
}
