// KubeSphere's iam.kubesphere.io/v1beta1 as the console and our backend use it: users, the role templates that
// decide the console's menus, global roles, and SubjectAccessReview (the backend's KubeSphere-mode authorizer).
import { sarAttributes } from './authz.js';
import { notFound, sendJson, sendStatus, status } from './errors.js';
import type { KubeClient } from './kube.js';
import type { KubeReads, Obj } from './kube-reads.js';
import {
  globalRoles,
  grantFor,
  isPlatformAdmin,
  listResult,
  roleTemplates,
  userObject,
  type Scope,
} from './platform.js';
import { readBody, type Ctx } from './request-context.js';
import type { RequestInfo } from './requestinfo.js';
import type { RouteTable } from './routing.js';
import type { UsersFile } from './users-file.js';

export const IAM = '/kapis/iam.kubesphere.io/v1beta1';

type ReviewAttribute =
  | 'resourceScope'
  | 'workspace'
  | 'namespace'
  | 'verb'
  | 'group'
  | 'version'
  | 'resource'
  | 'subresource'
  | 'name';

/** The spec of a KubeSphere SubjectAccessReview (iam.kubesphere.io), as the backend sends it. */
export interface KsReviewSpec {
  user?: string;
  groups?: string[];
  resourceAttributes?: Partial<Record<ReviewAttribute, string>>;
  nonResourceAttributes?: { path?: string; verb?: string };
}

/** The request a KubeSphere review describes, in the shape the /kapis authorization uses for a real request. */
export function reviewRequestInfo(spec: KsReviewSpec): RequestInfo {
  const ra = spec.resourceAttributes;
  return {
    path: spec.nonResourceAttributes?.path ?? '',
    cluster: '',
    isResourceRequest: ra !== undefined,
    apiPrefix: 'kapis',
    apiGroup: ra?.group ?? '',
    apiVersion: ra?.version ?? '',
    verb: ra?.verb ?? spec.nonResourceAttributes?.verb ?? '',
    workspace: ra?.workspace ?? '',
    namespace: ra?.namespace ?? '',
    resource: ra?.resource ?? '',
    subresource: ra?.subresource ?? '',
    name: ra?.name ?? '',
    scope: ra?.namespace ? 'Namespace' : ra?.workspace ? 'Workspace' : 'Cluster',
  };
}

const SCOPES: readonly Scope[] = ['global', 'cluster', 'workspace', 'namespace'];
/** `?scope=` of the role-templates query (global when absent), or undefined when it names no scope. */
export const parseScope = (value: string | null): Scope | undefined => {
  const scope = value ?? 'global';
  return (SCOPES as readonly string[]).includes(scope) ? (scope as Scope) : undefined;
};

export interface IamDeps {
  kube: KubeClient;
  reads: KubeReads;
  users: UsersFile;
  started: string;
}

export function iamRoutes({ kube, reads, users, started }: IamDeps): RouteTable {
  async function roleTemplatesFor(
    ctx: Ctx,
    scope: Scope,
    target: { workspace?: string; namespace?: string },
  ): Promise<void> {
    const subject = users.find(ctx.params.user ?? '');
    if (!subject) return sendStatus(ctx.res, notFound(`user "${ctx.params.user}" not found`));
    if (subject.name !== ctx.user.name && !isPlatformAdmin(ctx.user)) {
      return sendStatus(
        ctx.res,
        status(
          403,
          'Forbidden',
          `User "${ctx.user.name}" cannot get the role templates of "${subject.name}"`,
        ),
      );
    }
    const grant = grantFor(subject, scope, {
      ...target,
      namespaceWorkspace: await reads.workspaceOfNamespace(target.namespace),
      userNamespaceWorkspace: await reads.workspaceOfNamespace(subject.namespace),
    });
    const items = roleTemplates(
      scope,
      grant,
      grant === 'none' ? [] : await reads.installedRoleTemplates(scope),
    );
    sendJson(ctx.res, 200, { items, totalItems: items.length });
  }

  async function subjectAccessReview(ctx: Ctx): Promise<void> {
    let review: { apiVersion?: string; spec?: KsReviewSpec };
    try {
      review = JSON.parse(await readBody(ctx.req)) as typeof review;
    } catch {
      return sendStatus(ctx.res, status(400, 'BadRequest', 'the body is not a JSON SubjectAccessReview'));
    }
    const spec = review.spec ?? {};
    const subject = spec.user ?? ctx.user.name;
    if (subject !== ctx.user.name && !isPlatformAdmin(ctx.user)) {
      return sendStatus(
        ctx.res,
        status(
          403,
          'Forbidden',
          `User "${ctx.user.name}" cannot create resource "subjectaccessreviews" in API group "iam.kubesphere.io" for another user`,
        ),
      );
    }
    const groups = spec.groups ?? users.find(subject)?.groups ?? [];
    const verdict = await kube.review({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: subject, groups, ...sarAttributes(reviewRequestInfo(spec)) },
    });
    sendJson(ctx.res, 200, {
      apiVersion: review.apiVersion ?? 'iam.kubesphere.io/v1beta1',
      kind: 'SubjectAccessReview',
      spec,
      status: { allowed: verdict.allowed, ...(verdict.reason ? { reason: verdict.reason } : {}) },
    });
  }

  return [
    ['POST', `${IAM}/subjectaccessreviews`, subjectAccessReview],
    [
      'GET',
      `${IAM}/users`,
      (ctx) =>
        sendJson(
          ctx.res,
          200,
          listResult(users.all().map((u) => userObject(u, started)) as Obj[], ctx.url.searchParams),
        ),
    ],
    [
      'GET',
      `${IAM}/users/:user`,
      (ctx) => {
        const u = users.find(ctx.params.user!);
        return u
          ? sendJson(ctx.res, 200, userObject(u, started))
          : sendStatus(ctx.res, notFound(`users.iam.kubesphere.io "${ctx.params.user}" not found`));
      },
    ],
    [
      'GET',
      `${IAM}/users/:user/roletemplates`,
      (ctx) => {
        const q = ctx.url.searchParams;
        const scope = parseScope(q.get('scope'));
        if (!scope)
          return sendStatus(ctx.res, status(400, 'BadRequest', `unknown scope "${q.get('scope')}"`));
        return roleTemplatesFor(ctx, scope, {
          workspace: q.get('workspace') ?? undefined,
          namespace: q.get('namespace') ?? undefined,
        });
      },
    ],
    [
      'GET',
      `${IAM}/workspaces/:workspace/workspacemembers/:user/roletemplates`,
      (ctx) => roleTemplatesFor(ctx, 'workspace', { workspace: ctx.params.workspace }),
    ],
    [
      'GET',
      `${IAM}/namespaces/:namespace/namespacemembers/:user/roletemplates`,
      (ctx) => roleTemplatesFor(ctx, 'namespace', { namespace: ctx.params.namespace }),
    ],
    [
      'GET',
      `${IAM}/globalroles`,
      (ctx) => sendJson(ctx.res, 200, listResult(globalRoles(started) as Obj[], ctx.url.searchParams)),
    ],
  ];
}
