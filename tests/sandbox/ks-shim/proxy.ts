// The two proxies behind the routes the shim answers itself: /kapis of our API groups, authorized like
// ks-apiserver and then sent to the extension backend with KubeSphere's headers, and /api, /apis streamed to
// kube-apiserver as the user. See README.md § Proxies.
import http from 'node:http';
import https from 'node:https';
import { findApiService, type ApiServiceRouting, type UpstreamTarget } from './apiservices.js';
import { forbiddenMessage, subjectAccessReview } from './authz.js';
import { sendStatus, status } from './errors.js';
import { backendHeaders, responseHeaders } from './headers.js';
import type { KubeClient } from './kube.js';
import type { Ctx, Handler } from './request-context.js';

const OUR_GROUP_SUFFIX = '.ks-gpu-ml.io';

export type ProxyTarget = 'backend' | 'kube';

/** Where a request no route answered goes: our /kapis groups to the backend, Kubernetes paths to kube. */
export function proxyTarget(path: string): ProxyTarget | undefined {
  const segments = path.split('/');
  if (segments[1] === 'kapis' && segments[2]?.endsWith(OUR_GROUP_SUFFIX)) return 'backend';
  if (segments[1] === 'api' || segments[1] === 'apis') return 'kube';
  return undefined;
}

/** An error before the answer started is a Status; after, the only honest signal is a cut connection. */
function failProxy(ctx: Ctx, code: number, reason: string, message: string): void {
  if (!ctx.res.headersSent) sendStatus(ctx.res, status(code, reason, message));
  else ctx.res.destroy();
}

function proxyToBackend(ctx: Ctx, backend: URL, tls?: Omit<UpstreamTarget, 'url'>): Promise<void> {
  return new Promise((resolvePromise) => {
    const target = new URL(ctx.info.path + ctx.url.search, backend);
    const transport = target.protocol === 'https:' ? https : http;
    const upstream = transport.request(target, {
      method: ctx.req.method,
      headers: backendHeaders(ctx.req.headers, ctx.user.name, ctx.req.socket.remoteAddress),
      // An installed APIService's endpoint: verified with its caBundle against the Service's DNS name.
      ...(tls ?? {}),
    });
    let done = false;
    upstream.on('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code ?? error.message;
      failProxy(ctx, 503, 'ServiceUnavailable', `the extension backend is not available: ${code}`);
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

/** Sends an authorized /kapis request to the installed APIService of its group, or answers as ks-apiserver does. */
async function proxyToApiService(ctx: Ctx, kube: KubeClient, routing: ApiServiceRouting): Promise<void> {
  const found = await findApiService(kube, ctx.info.apiGroup, ctx.info.apiVersion, routing);
  if (found.kind === 'none') return sendStatus(ctx.res, status(404, 'NotFound', '404 page not found'));
  if (found.kind === 'unavailable')
    return sendStatus(
      ctx.res,
      status(503, 'ServiceUnavailable', `apiService ${found.name} is not available`),
    );
  const { url, ...tls } = found.target;
  return proxyToBackend(ctx, url, tls);
}

/**
 * /kapis/<our group>/...: the SubjectAccessReview ks-apiserver's RBAC walk amounts to, then the backend — or, with
 * `routing`, the installed APIService of the group (apiservices.ts).
 */
export function backendProxy(kube: KubeClient, backend: URL, routing?: ApiServiceRouting): Handler {
  return async (ctx) => {
    const sar = subjectAccessReview(
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
    return routing ? proxyToApiService(ctx, kube, routing) : proxyToBackend(ctx, backend);
  };
}

/** /api, /apis: kube-apiserver as the user (impersonation), so RBAC is the user's. */
export function kubeProxy(kube: KubeClient): Handler {
  return async (ctx) => {
    try {
      await kube.proxyAs(
        { name: ctx.user.name, groups: ctx.user.groups },
        ctx.info.path + ctx.url.search,
        ctx.req,
        ctx.res,
      );
    } catch (error) {
      failProxy(ctx, 502, 'BadGateway', `Error while proxying request: ${(error as Error).message}`);
    }
  };
}
