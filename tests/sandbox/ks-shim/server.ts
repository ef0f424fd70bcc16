// ks-shim: a stand-in for ks-apiserver in the sandbox (issue 3). See README.md for the endpoint list.
import { createReadStream, existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { SandboxUser } from '../src/env.js';
import { forbiddenMessage, sarAttributes, subjectAccessReview, type SubjectAccessReview } from './authz.js';
import { notFound, oauthError, sendJson, sendStatus, status, unauthorized } from './errors.js';
import { backendHeaders, redactUrl, responseHeaders } from './headers.js';
import { JwtIssuer } from './jwt.js';
import { KubeClient } from './kube.js';
import {
  EXTENSION_REF,
  HOST_CLUSTER,
  KS_VERSION,
  WORKSPACE_LABEL,
  clusterObject,
  configz,
  distJsBundle,
  emptyList,
  globalRoles,
  grantFor,
  isPlatformAdmin,
  listResult,
  platformMetrics,
  roleTemplates,
  userObject,
  workspaceObject,
  workspaceTemplateObject,
  type RoleTemplateObject,
  type Scope,
} from './platform.js';
import { parseRequestInfo, type RequestInfo } from './requestinfo.js';

export interface KsShimOptions {
  /** Admin kubeconfig of the sandbox's kube-apiserver. */
  kubeconfig: string;
  /** users.json of the sandbox (re-read when it changes). */
  users: string;
  /** Where `/kapis/<group>.ks-gpu-ml.io/...` is proxied to, e.g. http://127.0.0.1:8081. */
  backendUrl: string;
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  /** Serves GET /dist/<ext>/<file> from <distDir>/<ext>/<file>. */
  distDir?: string;
  /** Request log sink; defaults to stdout. Lines are `<status> <method> <url> <user>`, never tokens. */
  log?: (line: string) => void;
  /** Access token lifetime in seconds (KubeSphere's default accessTokenMaxAge: 2h). */
  accessTokenMaxAge?: number;
}

export interface KsShim {
  url: string;
  port: number;
  close(): Promise<void>;
}

const OUR_GROUP_SUFFIX = '.ks-gpu-ml.io';
const OAUTH_CLIENT = { id: 'kubesphere', secret: 'kubesphere' };
const INACTIVITY_TIMEOUT = 1800;
const STARTED = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: RequestInfo;
  params: Record<string, string>;
  user: SandboxUser;
  /** The user name for the log line. */
  logUser: string;
}

type Handler = (ctx: Ctx) => Promise<void> | void;

class UsersFile {
  #mtime = -1;
  #users: SandboxUser[] = [];
  constructor(private readonly file: string) {}
  all(): SandboxUser[] {
    const mtime = statSync(this.file).mtimeMs;
    if (mtime !== this.#mtime) {
      this.#users = JSON.parse(readFileSync(this.file, 'utf8')) as SandboxUser[];
      this.#mtime = mtime;
    }
    return this.#users;
  }
  find(name: string): SandboxUser | undefined {
    return this.all().find((u) => u.name === name);
  }
}

function readBody(req: IncomingMessage, limit = 1 << 20): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) reject(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

const contentTypes: Record<string, string> = {
  '.js': 'application/javascript',
  '.mjs': 'application/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** A route pattern such as `/kapis/iam.kubesphere.io/v1beta1/users/:user` as a matcher. */
function compile(pattern: string): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = pattern.replace(/[.]/g, '\\.').replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const re = new RegExp(`^${source}/?$`);
  return (path) => {
    const m = re.exec(path);
    if (!m) return undefined;
    try {
      return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    } catch {
      return undefined; // a malformed %-escape matches no route
    }
  };
}

export async function startKsShim(options: KsShimOptions): Promise<KsShim> {
  const kube = await KubeClient.fromKubeconfig(options.kubeconfig);
  const users = new UsersFile(options.users);
  users.all(); // fail early on a missing or broken file
  const issuer = new JwtIssuer();
  const backend = new URL(options.backendUrl);
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const accessTokenMaxAge = options.accessTokenMaxAge ?? 7200;
  const distDir = options.distDir ? resolve(options.distDir) : undefined;

  // ---- kube reads ----------------------------------------------------------------------------------------
  type Obj = { metadata: { name: string; labels?: Record<string, string>; creationTimestamp?: string } };
  type List<T = Obj> = { items: T[] };

  async function namespacesByWorkspace(): Promise<Map<string, Obj[]>> {
    const list = await kube.get<List>(
      `/api/v1/namespaces?labelSelector=${encodeURIComponent(WORKSPACE_LABEL)}`,
    );
    const map = new Map<string, Obj[]>();
    for (const ns of list?.items ?? []) {
      const ws = ns.metadata.labels?.[WORKSPACE_LABEL];
      if (ws) map.set(ws, [...(map.get(ws) ?? []), ns]);
    }
    return map;
  }

  /** WorkspaceTemplate CRs when the CRD is installed, plus one per distinct namespace label. */
  async function workspaceTemplates(): Promise<Record<string, unknown>[]> {
    const crs = await kube.get<List<Record<string, unknown> & Obj>>(
      '/apis/tenant.kubesphere.io/v1beta1/workspacetemplates',
    );
    const byName = new Map<string, Record<string, unknown>>();
    for (const cr of crs?.items ?? []) byName.set(cr.metadata.name, cr);
    for (const ws of (await namespacesByWorkspace()).keys()) {
      if (!byName.has(ws)) byName.set(ws, workspaceTemplateObject(ws, STARTED));
    }
    return [...byName.values()];
  }

  async function workspaceOfNamespace(ns: string | undefined): Promise<string | undefined> {
    if (!ns) return undefined;
    const obj = await kube.get<Obj>(`/api/v1/namespaces/${encodeURIComponent(ns)}`);
    return obj?.metadata.labels?.[WORKSPACE_LABEL];
  }

  async function canSeeWorkspace(user: SandboxUser, ws: string): Promise<boolean> {
    return (
      grantFor(user, 'workspace', {
        workspace: ws,
        userNamespaceWorkspace: await workspaceOfNamespace(user.namespace),
      }) !== 'none'
    );
  }

  function canSeeNamespace(user: SandboxUser, ns: Obj): boolean {
    const target = { namespace: ns.metadata.name, namespaceWorkspace: ns.metadata.labels?.[WORKSPACE_LABEL] };
    return grantFor(user, 'namespace', target) !== 'none';
  }

  async function installedRoleTemplates(scope: Scope): Promise<RoleTemplateObject[]> {
    const selector = encodeURIComponent(`iam.kubesphere.io/scope=${scope}`);
    const list = await kube.get<List<RoleTemplateObject>>(
      `/apis/iam.kubesphere.io/v1beta1/roletemplates?labelSelector=${selector}`,
    );
    return list?.items ?? [];
  }

  async function jsBundles(): Promise<Record<string, unknown>> {
    const path = '/apis/extensions.kubesphere.io/v1alpha1/jsbundles';
    const list = (await kube.get<Record<string, unknown> & List<Record<string, unknown> & Obj>>(path)) ?? {
      ...emptyList('extensions.kubesphere.io/v1alpha1', 'JSBundleList'),
      items: [],
    };
    if (distDir && existsSync(distDir)) {
      const covered = new Set(list.items.map((b) => b.metadata.labels?.[EXTENSION_REF]));
      for (const ext of readdirSync(distDir).sort()) {
        const index = join(distDir, ext, 'index.js');
        if (!covered.has(ext) && existsSync(index)) {
          list.items.push(
            distJsBundle(ext, String(Math.floor(statSync(index).mtimeMs))) as Record<string, unknown> & Obj,
          );
        }
      }
    }
    return list;
  }

  async function kubernetesVersion(): Promise<Record<string, unknown>> {
    return (await kube.get<Record<string, unknown>>('/version')) ?? {};
  }

  // ---- handlers ------------------------------------------------------------------------------------------
  const json = (body: unknown) => (ctx: Ctx) => sendJson(ctx.res, 200, body);

  async function oauthToken(ctx: Ctx): Promise<void> {
    const form = new URLSearchParams(await readBody(ctx.req));
    if (form.get('client_id') !== OAUTH_CLIENT.id || form.get('client_secret') !== OAUTH_CLIENT.secret) {
      return sendJson(ctx.res, 401, oauthError('invalid_client', 'invalid client credential'));
    }
    const issue = (username: string) => {
      ctx.logUser = username;
      sendJson(
        ctx.res,
        200,
        {
          access_token: issuer.issue(username, 'access_token', accessTokenMaxAge),
          refresh_token: issuer.issue(username, 'refresh_token', accessTokenMaxAge + INACTIVITY_TIMEOUT),
          token_type: 'Bearer',
          expires_in: accessTokenMaxAge,
        },
        { 'cache-control': 'no-store' },
      );
    };
    switch (form.get('grant_type')) {
      case 'password': {
        const user = users.find(form.get('username') ?? '');
        if (!user || user.password !== form.get('password')) {
          // ks-apiserver answers an unknown user and a wrong password alike (auth.IncorrectPasswordError).
          return sendJson(ctx.res, 400, oauthError('invalid_grant', 'incorrect password'));
        }
        return issue(user.name);
      }
      case 'refresh_token': {
        const claims = issuer.verify(form.get('refresh_token') ?? '', 'refresh_token');
        if (claims instanceof Error)
          return sendJson(ctx.res, 400, oauthError('invalid_grant', claims.message));
        if (!users.find(claims.username)) {
          return sendJson(ctx.res, 400, oauthError('invalid_grant', 'authenticated user does not exist'));
        }
        return issue(claims.username);
      }
      default:
        return sendJson(ctx.res, 400, oauthError('unsupported_grant_type'));
    }
  }

  /** The user of a valid access token, or undefined. */
  function authenticate(req: IncomingMessage): SandboxUser | undefined {
    const token = bearer(req);
    if (!token) return undefined;
    const claims = issuer.verify(token, 'access_token');
    return claims instanceof Error ? undefined : users.find(claims.username);
  }

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
      namespaceWorkspace: await workspaceOfNamespace(target.namespace),
      userNamespaceWorkspace: await workspaceOfNamespace(subject.namespace),
    });
    const items = roleTemplates(scope, grant, grant === 'none' ? [] : await installedRoleTemplates(scope));
    sendJson(ctx.res, 200, { items, totalItems: items.length });
  }

  async function listWorkspaces(ctx: Ctx, kind: 'templates' | 'workspaces'): Promise<void> {
    const visible: Record<string, unknown>[] = [];
    for (const t of await workspaceTemplates()) {
      const name = String((t.metadata as { name: string }).name);
      if (await canSeeWorkspace(ctx.user, name)) visible.push(kind === 'templates' ? t : workspaceObject(t));
    }
    sendJson(ctx.res, 200, listResult(visible as Obj[], ctx.url.searchParams));
  }

  async function getWorkspace(ctx: Ctx, kind: 'templates' | 'workspaces'): Promise<void> {
    const ws = ctx.params.workspace!;
    const t = (await workspaceTemplates()).find((w) => (w.metadata as { name: string }).name === ws);
    if (!t || !(await canSeeWorkspace(ctx.user, ws))) {
      return sendStatus(ctx.res, notFound(`workspacetemplates.tenant.kubesphere.io "${ws}" not found`));
    }
    sendJson(ctx.res, 200, kind === 'templates' ? t : workspaceObject(t));
  }

  async function listNamespaces(ctx: Ctx): Promise<void> {
    const byWs = await namespacesByWorkspace();
    const ws = ctx.params.workspace;
    const candidates = ws ? (byWs.get(ws) ?? []) : [...byWs.values()].flat();
    const items = candidates.filter((ns) => canSeeNamespace(ctx.user, ns));
    sendJson(ctx.res, 200, listResult(items, ctx.url.searchParams));
  }

  async function cluster(): Promise<Record<string, unknown>> {
    const nodes = await kube.get<List>('/api/v1/nodes');
    const version = await kubernetesVersion();
    return clusterObject({
      kubernetesVersion: String(version.gitVersion ?? ''),
      nodeCount: nodes?.items.length ?? 0,
      created: STARTED,
    });
  }

  async function ksSubjectAccessReview(ctx: Ctx): Promise<void> {
    type KsSar = {
      apiVersion?: string;
      spec?: {
        user?: string;
        groups?: string[];
        resourceAttributes?: Partial<
          Record<
            | 'resourceScope'
            | 'workspace'
            | 'namespace'
            | 'verb'
            | 'group'
            | 'version'
            | 'resource'
            | 'subresource'
            | 'name',
            string
          >
        >;
        nonResourceAttributes?: { path?: string; verb?: string };
      };
    };
    let review: KsSar;
    try {
      review = JSON.parse(await readBody(ctx.req)) as KsSar;
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
    const ra = spec.resourceAttributes;
    const info: RequestInfo = {
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
    const verdict = await kube.review({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: subject, groups, ...sarAttributes(info) },
    });
    sendJson(ctx.res, 200, {
      apiVersion: review.apiVersion ?? 'iam.kubesphere.io/v1beta1',
      kind: 'SubjectAccessReview',
      spec,
      status: { allowed: verdict.allowed, ...(verdict.reason ? { reason: verdict.reason } : {}) },
    });
  }

  async function serveDist(ctx: Ctx): Promise<void> {
    const rel = ctx.url.pathname.replace(/^\/dist\//, '');
    if (distDir) {
      let file = '';
      try {
        file = resolve(distDir, decodeURIComponent(rel));
      } catch {
        return sendStatus(ctx.res, notFound());
      }
      if (
        file.startsWith(distDir + sep) &&
        existsSync(file) &&
        statSync(file).isFile() &&
        realpathSync(file).startsWith(realpathSync(distDir) + sep)
      ) {
        ctx.res.writeHead(200, {
          'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
          'content-length': statSync(file).size,
          'cache-control': 'no-cache',
        });
        createReadStream(file).pipe(ctx.res);
        return;
      }
    }
    // A JSBundle whose status.link is this path, with the script inline (spec.raw) or in a ConfigMap.
    type Bundle = {
      status?: { link?: string };
      spec?: {
        raw?: string;
        rawFrom?: { configMapKeyRef?: { name: string; key: string; namespace: string } };
      };
    };
    const bundles =
      (await kube.get<List<Bundle & Obj>>('/apis/extensions.kubesphere.io/v1alpha1/jsbundles'))?.items ?? [];
    const bundle = bundles.find((b) => b.status?.link === ctx.url.pathname);
    let script: Buffer | undefined;
    if (bundle?.spec?.raw) script = Buffer.from(bundle.spec.raw, 'base64');
    const ref = bundle?.spec?.rawFrom?.configMapKeyRef;
    if (!script && ref) {
      const cm = await kube.get<{ data?: Record<string, string> }>(
        `/api/v1/namespaces/${ref.namespace}/configmaps/${ref.name}`,
      );
      const text = cm?.data?.[ref.key];
      if (text !== undefined) script = Buffer.from(text);
    }
    if (!script) return sendStatus(ctx.res, notFound());
    ctx.res.writeHead(200, { 'content-type': 'application/javascript', 'content-length': script.length });
    ctx.res.end(script);
  }

  function proxyToBackend(ctx: Ctx): Promise<void> {
    return new Promise((resolvePromise) => {
      const target = new URL(ctx.info.path + ctx.url.search, backend);
      const transport = target.protocol === 'https:' ? https : http;
      const upstream = transport.request(target, {
        method: ctx.req.method,
        headers: backendHeaders(ctx.req.headers, ctx.user.name, ctx.req.socket.remoteAddress),
      });
      let done = false;
      upstream.on('error', (error) => {
        if (!ctx.res.headersSent) {
          sendStatus(
            ctx.res,
            status(
              503,
              'ServiceUnavailable',
              `the extension backend is not available: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
            ),
          );
        } else {
          ctx.res.destroy();
        }
        resolvePromise();
      });
      upstream.on('response', (answer) => {
        ctx.res.writeHead(answer.statusCode ?? 502, responseHeaders(answer.headers));
        answer.pipe(ctx.res);
        answer.on('end', () => {
          done = true;
          resolvePromise();
        });
      });
      ctx.res.on('close', () => {
        if (!done) upstream.destroy();
      });
      ctx.req.pipe(upstream);
    });
  }

  async function authorizeAndProxy(ctx: Ctx): Promise<void> {
    const sar: SubjectAccessReview = subjectAccessReview(
      ctx.user.name,
      [...new Set([...ctx.user.groups, 'system:authenticated'])],
      ctx.info,
    );
    const verdict = await kube.review(sar);
    if (!verdict.allowed) {
      return sendStatus(
        ctx.res,
        status(403, 'Forbidden', forbiddenMessage(ctx.user.name, ctx.info), {
          ...(ctx.info.name ? { name: ctx.info.name } : {}),
          group: ctx.info.apiGroup,
          kind: ctx.info.resource,
        }),
      );
    }
    return proxyToBackend(ctx);
  }

  async function proxyToKube(ctx: Ctx): Promise<void> {
    try {
      await kube.proxyAs(
        { name: ctx.user.name, groups: ctx.user.groups },
        ctx.info.path + ctx.url.search,
        ctx.req,
        ctx.res,
      );
    } catch (error) {
      if (!ctx.res.headersSent) {
        sendStatus(
          ctx.res,
          status(502, 'BadGateway', `Error while proxying request: ${(error as Error).message}`),
        );
      } else {
        ctx.res.destroy();
      }
    }
  }

  // ---- routes --------------------------------------------------------------------------------------------
  const T = '/kapis/tenant.kubesphere.io/v1beta1';
  const IAM = '/kapis/iam.kubesphere.io/v1beta1';
  const CFG = '/kapis/config.kubesphere.io/v1alpha2/configs';
  const publicRoutes: [string, string, Handler][] = [
    ['POST', '/oauth/token', oauthToken],
    ['GET', '/oauth/logout', json({ message: 'success' })],
    ['GET', '/healthz', (ctx) => void ctx.res.end('ok')],
    [
      'GET',
      '/version',
      async (ctx) => sendJson(ctx.res, 200, { ...KS_VERSION, kubernetes: await kubernetesVersion() }),
    ],
    [
      'GET',
      '/kapis/version',
      async (ctx) => sendJson(ctx.res, 200, { ...KS_VERSION, kubernetes: await kubernetesVersion() }),
    ],
    ['GET', `${CFG}/theme`, json({})],
    ['GET', `${CFG}/oauth`, json({ identityProviders: [] })],
  ];
  const routes: [string, string, Handler][] = [
    ['GET', `${CFG}/configz`, json(configz())],
    ['GET', `${CFG}/marketplace`, json({ url: '', account: null })],
    ['POST', `${IAM}/subjectaccessreviews`, ksSubjectAccessReview],
    [
      'GET',
      `${IAM}/users`,
      (ctx) =>
        sendJson(
          ctx.res,
          200,
          listResult(users.all().map((u) => userObject(u, STARTED)) as Obj[], ctx.url.searchParams),
        ),
    ],
    [
      'GET',
      `${IAM}/users/:user`,
      (ctx) => {
        const u = users.find(ctx.params.user!);
        return u
          ? sendJson(ctx.res, 200, userObject(u, STARTED))
          : sendStatus(ctx.res, notFound(`users.iam.kubesphere.io "${ctx.params.user}" not found`));
      },
    ],
    [
      'GET',
      `${IAM}/users/:user/roletemplates`,
      (ctx) => {
        const q = ctx.url.searchParams;
        const scope = (q.get('scope') ?? 'global') as Scope;
        if (!['global', 'cluster', 'workspace', 'namespace'].includes(scope)) {
          return sendStatus(ctx.res, status(400, 'BadRequest', `unknown scope "${scope}"`));
        }
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
      (ctx) => sendJson(ctx.res, 200, listResult(globalRoles(STARTED) as Obj[], ctx.url.searchParams)),
    ],
    [
      'GET',
      `${T}/clusters`,
      async (ctx) => sendJson(ctx.res, 200, { items: [await cluster()], totalItems: 1 }),
    ],
    [
      'GET',
      '/kapis/resources.kubesphere.io/v1alpha3/clusters',
      async (ctx) => sendJson(ctx.res, 200, { items: [await cluster()], totalItems: 1 }),
    ],
    [
      'GET',
      '/kapis/resources.kubesphere.io/v1alpha3/clusters/:cluster',
      async (ctx) =>
        ctx.params.cluster === HOST_CLUSTER
          ? sendJson(ctx.res, 200, await cluster())
          : sendStatus(ctx.res, notFound(`clusters.cluster.kubesphere.io "${ctx.params.cluster}" not found`)),
    ],
    ['GET', `${T}/workspacetemplates`, (ctx) => listWorkspaces(ctx, 'templates')],
    ['GET', `${T}/workspacetemplates/:workspace`, (ctx) => getWorkspace(ctx, 'templates')],
    ['GET', `${T}/workspaces`, (ctx) => listWorkspaces(ctx, 'workspaces')],
    ['GET', `${T}/workspaces/:workspace`, (ctx) => getWorkspace(ctx, 'workspaces')],
    ['GET', `${T}/workspaces/:workspace/namespaces`, listNamespaces],
    // Every workspace spans the sandbox's single cluster.
    [
      'GET',
      `${T}/workspaces/:workspace/clusters`,
      async (ctx) => sendJson(ctx.res, 200, { items: [await cluster()], totalItems: 1 }),
    ],
    ['GET', `${T}/namespaces`, listNamespaces],
    ['GET', '/kapis/resources.kubesphere.io/v1alpha3/namespaces', listNamespaces],
    [
      'GET',
      `${T}/metrics`,
      async (ctx) => {
        const templates = await workspaceTemplates();
        sendJson(
          ctx.res,
          200,
          platformMetrics({
            platform_cluster_count: 1,
            platform_workspace_count: templates.length,
            platform_user_count: users.all().length,
            platform_installplan_count: 0,
          }),
        );
      },
    ],
    // Kubernetes-API paths of KubeSphere kinds: read as the shim (every KubeSphere user may list them),
    // an empty list when the CRD is not installed.
    [
      'GET',
      '/apis/extensions.kubesphere.io/v1alpha1/jsbundles',
      async (ctx) => sendJson(ctx.res, 200, await jsBundles()),
    ],
    [
      'GET',
      '/apis/extensions.kubesphere.io/v1alpha1/extensionentries',
      async (ctx) =>
        sendJson(
          ctx.res,
          200,
          (await kube.get('/apis/extensions.kubesphere.io/v1alpha1/extensionentries')) ??
            emptyList('extensions.kubesphere.io/v1alpha1', 'ExtensionEntryList'),
        ),
    ],
    [
      'GET',
      '/apis/kubesphere.io/v1alpha1/extensions',
      async (ctx) =>
        sendJson(
          ctx.res,
          200,
          (await kube.get('/apis/kubesphere.io/v1alpha1/extensions')) ??
            emptyList('kubesphere.io/v1alpha1', 'ExtensionList'),
        ),
    ],
    [
      'GET',
      '/apis/installer.kubesphere.io/v1alpha1/clusterconfigurations',
      json({
        apiVersion: 'installer.kubesphere.io/v1alpha1',
        kind: 'ClusterConfigurationList',
        metadata: {},
        items: [
          {
            apiVersion: 'installer.kubesphere.io/v1alpha1',
            kind: 'ClusterConfiguration',
            metadata: { name: 'ks-installer', namespace: 'kubesphere-system' },
            spec: {},
          },
        ],
      }),
    ],
    [
      'GET',
      '/apis/cluster.kubesphere.io/v1alpha1/clusters',
      async (ctx) =>
        sendJson(ctx.res, 200, {
          apiVersion: 'cluster.kubesphere.io/v1alpha1',
          kind: 'ClusterList',
          metadata: {},
          items: [await cluster()],
        }),
    ],
    [
      'GET',
      '/apis/cluster.kubesphere.io/v1alpha1/clusters/:cluster',
      async (ctx) =>
        ctx.params.cluster === HOST_CLUSTER
          ? sendJson(ctx.res, 200, await cluster())
          : sendStatus(ctx.res, notFound(`clusters.cluster.kubesphere.io "${ctx.params.cluster}" not found`)),
    ],
  ];
  const compiled = (table: [string, string, Handler][]) =>
    table.map(([m, p, h]) => ({ method: m, match: compile(p), handler: h }));
  const publicTable = compiled(publicRoutes);
  const table = compiled(routes);
  const find = (t: typeof table, method: string, path: string) => {
    for (const route of t) {
      const params =
        route.method === method || (route.method === 'GET' && method === 'HEAD')
          ? route.match(path)
          : undefined;
      if (params) return { handler: route.handler, params };
    }
    return undefined;
  };

  async function dispatch(ctx: Ctx): Promise<void> {
    const { req, res, info } = ctx;
    const method = req.method ?? 'GET';
    if (info.cluster && info.cluster !== HOST_CLUSTER) {
      return sendStatus(res, notFound(`cluster "${info.cluster}" not found`));
    }
    const open = find(publicTable, method, info.path);
    if (open) {
      ctx.params = open.params;
      if (ctx.info.path.startsWith('/oauth/') || !bearer(req)) return open.handler(ctx);
      const user = authenticate(req);
      if (user) {
        ctx.user = user;
        ctx.logUser = user.name;
      }
      return open.handler(ctx);
    }
    if (method === 'GET' && info.path.startsWith('/dist/')) return serveDist(ctx);
    if (info.path === '/oauth/userinfo') {
      if (!bearer(req)) return sendJson(res, 401, oauthError('login_required'));
      const user = authenticate(req);
      if (!user) return sendStatus(res, unauthorized());
      ctx.logUser = user.name;
      return sendJson(res, 200, {
        sub: user.name,
        url: user.name,
        email: `${user.name}@sandbox.local`,
        locale: 'en',
        preferred_username: user.name,
      });
    }

    const user = authenticate(req);
    if (!user) return sendStatus(res, unauthorized());
    ctx.user = user;
    ctx.logUser = user.name;

    const route = find(table, method, info.path);
    if (route) {
      ctx.params = route.params;
      return route.handler(ctx);
    }
    const segments = info.path.split('/');
    if (segments[1] === 'kapis' && segments[2]?.endsWith(OUR_GROUP_SUFFIX)) return authorizeAndProxy(ctx);
    if (segments[1] === 'api' || segments[1] === 'apis') return proxyToKube(ctx);
    // Everything else (e.g. configs/gpu/kinds, which open-source ks-apiserver does not serve) is go-restful's 404.
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found');
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://shim.invalid');
    const ctx: Ctx = {
      req,
      res,
      url,
      info: parseRequestInfo(req.method ?? 'GET', req.url ?? '/'),
      params: {},
      user: undefined as unknown as SandboxUser,
      logUser: '-',
    };
    res.on('close', () => log(`${res.statusCode} ${req.method} ${redactUrl(req.url ?? '/')} ${ctx.logUser}`));
    dispatch(ctx).catch((error: unknown) => {
      if (!res.headersSent) {
        sendStatus(res, status(500, 'InternalError', `ks-shim: ${(error as Error).message}`));
      } else {
        res.destroy();
      }
    });
  });
  server.requestTimeout = 0; // watches stream for as long as the caller keeps them open

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
        kube.close();
      }),
  };
}
