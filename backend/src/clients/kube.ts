import { existsSync } from 'node:fs';
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
import { ConfigError } from '../shared/errors.js';
import { reduceError } from './reduced-error.js';
import { createAgentReuse } from './keep-alive.js';
import { noObserve, timed, UpstreamError, type ObserveUpstream } from './upstream.js';

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

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Without KUBECONFIG we must be in a pod: client-node would otherwise call https://undefined:undefined. */
function checkInCluster(): void {
  if (!process.env.KUBERNETES_SERVICE_HOST) {
    throw new ConfigError(
      'KUBECONFIG',
      'is required outside a pod (KUBERNETES_SERVICE_HOST is not set)',
      undefined,
    );
  }
  if (!existsSync(SERVICE_ACCOUNT_TOKEN)) {
    throw new ConfigError(
      'KUBECONFIG',
      `is required: no service-account token at ${SERVICE_ACCOUNT_TOKEN}`,
      undefined,
    );
  }
}

/** A kubeconfig that cannot be read or names no cluster is a configuration error (exit 78), not a stack trace. */
export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (!path) {
    checkInCluster();
    kc.loadFromCluster();
    return kc;
  }
  try {
    kc.loadFromFile(path);
  } catch (err) {
    throw new ConfigError(
      'KUBECONFIG',
      'must name a readable kubeconfig',
      `${path}: ${reduceError(err).message}`,
    );
  }
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  // Files the kubeconfig names are read per request (rotation), so a missing one would fail every call, not start.
  for (const [field, file] of [
    ['certificate-authority', cluster?.caFile],
    ['client-certificate', user?.certFile],
    ['client-key', user?.keyFile],
  ] as const) {
    if (file && !existsSync(file)) {
      throw new ConfigError('KUBECONFIG', `names a ${field} file that does not exist`, `${path}: ${file}`);
    }
  }
  if (!cluster?.server) {
    throw new ConfigError(
      'KUBECONFIG',
      'must name a kubeconfig whose current context has a cluster server',
      path,
    );
  }
  return kc;
}

export function createKubeClient(options: KubeClientOptions): KubeClient {
  const config = loadKubeConfig(options.kubeconfigPath);
  const observe = options.observe ?? noObserve;
  const authn = config.makeApiClient(AuthenticationV1Api);
  const authz = config.makeApiClient(AuthorizationV1Api);
  const version = config.makeApiClient(VersionApi);

  const reuse = createAgentReuse();
  // client-node has no timeout setting; an AbortSignal per request, set by a middleware, bounds each call. The
  // same middleware swaps client-node's per-request agent for a kept-alive one (keep-alive.ts): an uncached
  // review took ~13 ms over a new TLS connection, ~5 ms over a kept one, on the sandbox.
  const callOptions = (): ConfigurationOptions => ({
    middleware: [
      {
        pre: (context) => {
          context.setSignal(AbortSignal.timeout(options.timeoutMs));
          const agent = reuse(context.getAgent());
          if (agent) context.setAgent(agent);
          return new Observable(Promise.resolve(context));
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
