import type { RouteSpec, Scope, Verb } from '@ks-gpu-ml/contracts';
import { API_VERSION } from '@ks-gpu-ml/contracts';
import { AppError } from './errors.js';
import type { Identity } from './identity.js';
import { TtlCache } from '../shared/ttl-cache.js';

/** One permission check: may `user` do `verb` on `group/resource[/subresource]` [`name`] in the scope? */
export interface AccessRequest {
  user: Identity;
  verb: Verb;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
  scope: Scope;
  /** Workspace name (scope workspace) or namespace name (scope namespace). */
  scopeName?: string;
  /** The caller's bearer token, for authorizers that ask on the caller's behalf. */
  token?: string;
}

export interface Decision {
  allowed: boolean;
  reason?: string;
}

/** Kubernetes' SubjectAccessReview or KubeSphere's, behind one interface (docs/adr/0003). */
export interface Authorizer {
  authorize(request: AccessRequest): Promise<Decision>;
}

/** What the route and its URL parameters ask for. */
export function accessFor(
  route: RouteSpec,
  params: Record<string, string | undefined>,
  user: Identity,
): AccessRequest {
  const scopeName =
    route.scope === 'workspace'
      ? params.workspace
      : route.scope === 'namespace'
        ? params.namespace
        : undefined;
  return {
    user,
    verb: route.verb,
    group: route.group,
    resource: route.resource,
    ...(route.subresource ? { subresource: route.subresource } : {}),
    ...(route.named && params.name !== undefined ? { name: params.name } : {}),
    scope: route.scope,
    ...(scopeName !== undefined ? { scopeName } : {}),
  };
}

/**
 * `authorization.k8s.io/v1` ResourceAttributes. Kubernetes RBAC has no workspaces, so a workspace-scoped request is
 * asked as the subresource `<resource>` of the cluster-scoped resource `workspaces` named after the workspace; a
 * ClusterRole with `resources: [workspaces/<resource>]` and `resourceNames: [<ws>]` grants it.
 */
export function kubeResourceAttributes(r: AccessRequest): Record<string, string> {
  if (r.scope === 'workspace') {
    return {
      verb: r.verb,
      group: r.group,
      version: API_VERSION,
      resource: 'workspaces',
      subresource: r.resource,
      name: r.scopeName ?? '',
    };
  }
  const attrs: Record<string, string> = {
    verb: r.verb,
    group: r.group,
    version: API_VERSION,
    resource: r.resource,
  };
  if (r.scope === 'namespace') attrs.namespace = r.scopeName ?? '';
  if (r.subresource) attrs.subresource = r.subresource;
  if (r.name) attrs.name = r.name;
  return attrs;
}

const KS_SCOPES: Record<Scope, string> = {
  cluster: 'Cluster',
  workspace: 'Workspace',
  namespace: 'Namespace',
};

/** `iam.kubesphere.io/v1beta1` ResourceAttributes: KubeSphere knows workspaces, so they are asked as such. */
export function kubeSphereResourceAttributes(r: AccessRequest): Record<string, string> {
  const attrs: Record<string, string> = {
    resourceScope: KS_SCOPES[r.scope],
    verb: r.verb,
    group: r.group,
    version: API_VERSION,
    resource: r.resource,
  };
  if (r.scope === 'workspace') attrs.workspace = r.scopeName ?? '';
  if (r.scope === 'namespace') attrs.namespace = r.scopeName ?? '';
  if (r.subresource) attrs.subresource = r.subresource;
  if (r.name) attrs.name = r.name;
  return attrs;
}

export interface CachedAuthorizerOptions {
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
  /** Called before a question goes upstream (a cache miss); may throw, e.g. a 429 from a rate limiter. */
  admit?: (request: AccessRequest) => void;
}

/** Decisions reused briefly: a page fires many requests with the same permission behind them. */
export function createCachedAuthorizer(inner: Authorizer, options: CachedAuthorizerOptions): Authorizer {
  const { admit, ...cacheOptions } = options;
  const cache = new TtlCache<Decision>(cacheOptions);
  const inFlight = new Map<string, Promise<Decision>>();
  return {
    authorize(request) {
      const { token: _token, ...rest } = request;
      const key = JSON.stringify({
        ...rest,
        user: { name: rest.user.name, groups: [...rest.user.groups].sort() },
      });
      const cached = cache.get(key);
      if (cached) return Promise.resolve(cached);
      let pending = inFlight.get(key);
      if (!pending) {
        try {
          admit?.(request);
        } catch (err) {
          return Promise.reject(err as Error);
        }
        pending = inner.authorize(request).then((decision) => {
          cache.set(key, decision);
          return decision;
        });
        pending.finally(() => inFlight.delete(key)).catch(() => undefined);
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}

const FORBIDDEN_KEYS: Record<Scope, string> = {
  cluster: 'BACKEND_FORBIDDEN_CLUSTER',
  workspace: 'BACKEND_FORBIDDEN_WORKSPACE',
  namespace: 'BACKEND_FORBIDDEN_NAMESPACE',
};

/** 403 naming exactly what is missing: verb, group/resource, scope (and the object name when there is one). */
export function forbidden(request: AccessRequest, decision: Decision): AppError {
  const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const params = {
    user: request.user.name,
    verb: request.verb,
    group: request.group,
    resource,
    workspace: request.scopeName,
    namespace: request.scopeName,
  };
  const details: Record<string, unknown> = {
    verb: request.verb,
    group: request.group,
    resource,
    scope: request.scope,
  };
  if (request.scope === 'workspace') details.workspace = request.scopeName;
  if (request.scope === 'namespace') details.namespace = request.scopeName;
  if (request.name) details.name = request.name;
  if (decision.reason) details.reason = decision.reason;
  return new AppError(403, 'Forbidden', FORBIDDEN_KEYS[request.scope], params, details);
}
