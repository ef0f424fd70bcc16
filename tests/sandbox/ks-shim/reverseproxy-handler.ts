// The ReverseProxy stand-in's two ways in (reverseproxies.ts has the rules): plain HTTP requests under /proxy, and
// WebSocket upgrades under /proxy, which the console's server sends to ks-apiserver's wsUrl with the user's token
// (@ks-console/server components/wsProxy.js). Both are authorized first, as ks-apiserver's filter chain does
// (Authorization runs before the ReverseProxy filter), then passed on.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { SandboxUser } from '../src/env.js';
import { forbiddenMessage } from './authz.js';
import { sendStatus, status, type Status } from './errors.js';
import { responseHeaders } from './headers.js';
import type { KubeClient } from './kube.js';
import type { Ctx } from './request-context.js';
import type { RequestInfo } from './requestinfo.js';
import {
  findReverseProxy,
  proxyAuthorization,
  unsupportedDirectives,
  upstreamHeaders,
  upstreamPath,
  type ReverseProxy,
} from './reverseproxies.js';
import type { UpstreamTarget } from './apiservices.js';

/** How long the upstream may take to answer (or accept the upgrade); an open tunnel has no limit. */
const UPSTREAM_DEADLINE_MS = 30_000;

type Decision =
  { kind: 'refuse'; status: Status } | { kind: 'go'; proxy: ReverseProxy; target: UpstreamTarget };

export const isProxyPath = (path: string): boolean => path === '/proxy' || path.startsWith('/proxy/');

/** Authorization (nonResourceURLs, upper-case verb), then the ReverseProxy that takes the request. */
async function decide(
  kube: KubeClient,
  addresses: Record<string, string>,
  user: SandboxUser,
  method: string,
  path: string,
): Promise<Decision> {
  const nonResourceAttributes = proxyAuthorization(method, path);
  const verdict = await kube.review({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: user.name,
      groups: [...new Set([...user.groups, 'system:authenticated'])],
      nonResourceAttributes,
    },
  });
  if (!verdict.allowed) {
    const info = { isResourceRequest: false, verb: method, path } as RequestInfo;
    return { kind: 'refuse', status: status(403, 'Forbidden', forbiddenMessage(user.name, info)) };
  }
  const found = await findReverseProxy(kube, method, path, addresses);
  if (found.kind === 'none') return { kind: 'refuse', status: status(404, 'NotFound', '404 page not found') };
  const unsupported = unsupportedDirectives(found.proxy);
  if (unsupported.length) {
    const message = `ks-shim stand-in: ReverseProxy ${found.proxy.metadata.name} uses ${unsupported.join(', ')}, which the stand-in does not implement`;
    return { kind: 'refuse', status: status(501, 'NotImplemented', message) };
  }
  return { kind: 'go', proxy: found.proxy, target: found.target };
}

function upstreamRequest(
  decision: Extract<Decision, { kind: 'go' }>,
  req: IncomingMessage,
  path: string,
  search: string,
  upgrade: boolean,
) {
  const { url, ...tls } = decision.target;
  const target = new URL(upstreamPath(decision.proxy, path) + search, url);
  const transport = target.protocol === 'https:' ? https : http;
  const upstream = transport.request(target, {
    method: req.method,
    headers: upstreamHeaders(decision.proxy, req.headers, upgrade),
    ...(target.protocol === 'https:' ? tls : {}),
  });
  upstream.setTimeout(UPSTREAM_DEADLINE_MS, () => upstream.destroy(new Error('upstream deadline')));
  return upstream;
}

/** A plain HTTP request under /proxy, already authenticated. */
export function reverseProxyHandler(kube: KubeClient, addresses: Record<string, string>) {
  return async (ctx: Ctx): Promise<void> => {
    const method = ctx.req.method ?? 'GET';
    const decision = await decide(kube, addresses, ctx.user, method, ctx.info.path);
    if (decision.kind === 'refuse') return sendStatus(ctx.res, decision.status);
    await new Promise<void>((resolvePromise) => {
      const upstream = upstreamRequest(decision, ctx.req, ctx.info.path, ctx.url.search, false);
      upstream.on('error', (error) => {
        if (!ctx.res.headersSent)
          sendStatus(ctx.res, status(502, 'BadGateway', `reverse proxy: ${error.message}`));
        else ctx.res.destroy();
        resolvePromise();
      });
      upstream.on('response', (answer) => {
        upstream.setTimeout(0); // answered: the body streams for as long as it takes
        ctx.res.writeHead(answer.statusCode ?? 502, responseHeaders(answer.headers));
        answer.pipe(ctx.res);
        answer.on('end', resolvePromise);
      });
      ctx.res.on('close', () => {
        upstream.destroy();
        resolvePromise();
      });
      ctx.req.pipe(upstream);
    });
  };
}

function writeHead(socket: Duplex, code: number, message: string, headers: IncomingMessage['headers']): void {
  const lines = [`HTTP/1.1 ${code} ${message}`];
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
      lines.push(`${name}: ${v}`);
  }
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
}

function refuseUpgrade(socket: Duplex, s: Status): void {
  const body = JSON.stringify(s);
  writeHead(socket, s.code, s.reason, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  });
  // The server keeps half-open sockets (allowHalfOpen), so a caller that never ends its side would hold this one.
  socket.end(body, () => socket.destroy());
}

/**
 * A WebSocket upgrade: authenticated and authorized like any request, then tunnelled to the upstream. Only /proxy
 * paths are upgraded; anything else is refused with 404 (the shim serves no other WebSocket).
 */
export function reverseProxyUpgrade(
  kube: KubeClient,
  addresses: Record<string, string>,
  authenticate: (req: IncomingMessage) => SandboxUser | undefined,
  log: (line: string) => void,
) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://shim.invalid');
    const user = authenticate(req);
    const done = (code: number) =>
      log(`${code} ${req.method} ${url.pathname} ${user?.name ?? '-'} (upgrade)`);
    socket.on('error', () => socket.destroy());
    if (!isProxyPath(url.pathname))
      return (refuseUpgrade(socket, status(404, 'NotFound', '404 page not found')), done(404));
    if (!user) return (refuseUpgrade(socket, status(401, 'Unauthorized', 'Unauthorized')), done(401));
    decide(kube, addresses, user, req.method ?? 'GET', url.pathname)
      .then((decision) => {
        if (decision.kind === 'refuse')
          return (refuseUpgrade(socket, decision.status), done(decision.status.code));
        const upstream = upstreamRequest(decision, req, url.pathname, url.search, true);
        upstream.on('error', (error) => {
          refuseUpgrade(socket, status(502, 'BadGateway', `reverse proxy: ${error.message}`));
          done(502);
        });
        upstream.on('response', (answer) => {
          writeHead(socket, answer.statusCode ?? 502, answer.statusMessage ?? '', answer.headers);
          answer.pipe(socket);
          done(answer.statusCode ?? 502);
        });
        upstream.on('upgrade', (answer, tunnel, upstreamHead) => {
          upstream.setTimeout(0);
          tunnel.setTimeout(0);
          writeHead(socket, 101, 'Switching Protocols', answer.headers);
          if (upstreamHead.length) socket.write(upstreamHead);
          if (head.length) tunnel.write(head);
          tunnel.pipe(socket).on('error', () => tunnel.destroy());
          socket.pipe(tunnel).on('error', () => socket.destroy());
          tunnel.on('close', () => socket.destroy());
          socket.on('close', () => tunnel.destroy());
          done(101);
        });
        upstream.end();
      })
      .catch((error: unknown) => {
        refuseUpgrade(socket, status(500, 'InternalError', `ks-shim: ${(error as Error).message}`));
        done(500);
      });
  };
}
