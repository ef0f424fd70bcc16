// ks-shim: a stand-in for ks-apiserver in the sandbox (issue 3). See README.md for the endpoint list.
// This file wires the pieces and dispatches; each API lives in its own module:
//   oauth.ts           login, userinfo and the bearer-token check
//   console-config.ts  version, theme, configz: what the console's BFF reads to render any page
//   iam.ts             users, role templates (menus), global roles, KubeSphere SubjectAccessReview
//   tenant.ts          workspaces, namespaces, the host cluster, platform counts
//   extensions.ts      JSBundle / ExtensionEntry discovery and /dist/<ext>/<file>
//   proxy.ts           /kapis of our groups (authorized, then to the backend) and /api, /apis (to kube)
//   reverseproxies.ts  /proxy/... by the ReverseProxy objects in kube-apiserver (HTTP and WebSocket upgrades)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import type { SandboxUser } from '../src/env.js';
import { configRoutes, publicConfigRoutes } from './console-config.js';
import { notFound, sendStatus, status, unauthorized } from './errors.js';
import type { ApiServiceRouting } from './apiservices.js';
import { distHandler, extensionRoutes } from './extensions.js';
import { redactUrl } from './headers.js';
import { iamRoutes } from './iam.js';
import { JwtIssuer } from './jwt.js';
import { KubeClient } from './kube.js';
import { createKubeReads } from './kube-reads.js';
import { createOAuth } from './oauth.js';
import { HOST_CLUSTER } from './platform.js';
import { backendProxy, kubeProxy, proxyTarget } from './proxy.js';
import { bearer, type Ctx } from './request-context.js';
import { parseRequestInfo } from './requestinfo.js';
import { isProxyPath, reverseProxyHandler, reverseProxyUpgrade } from './reverseproxy-handler.js';
import { router } from './routing.js';
import { tenantRoutes } from './tenant.js';
import { UsersFile } from './users-file.js';

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
  /**
   * Route each group to its installed APIService, as ks-apiserver does, instead of to `backendUrl` (which is then
   * unused): for tests of the installed packages (apiservices.ts).
   */
  apiServices?: ApiServiceRouting;
  /**
   * The stand-in for cluster DNS of ReverseProxy upstreams (`<service>.<namespace>.svc:<port>` or a url's
   * `host:port` → `127.0.0.1:<port>`); ReverseProxy objects are always honoured, an unmapped name fails to resolve.
   */
  reverseProxyAddresses?: Record<string, string>;
}

export interface KsShim {
  url: string;
  port: number;
  close(): Promise<void>;
}

const STARTED = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export async function startKsShim(options: KsShimOptions): Promise<KsShim> {
  const kube = await KubeClient.fromKubeconfig(options.kubeconfig);
  const users = new UsersFile(options.users);
  users.all(); // fail early on a missing or broken file
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const distDir = options.distDir ? resolve(options.distDir) : undefined;
  const reads = createKubeReads(kube, STARTED);
  const oauth = createOAuth({
    findUser: (name) => users.find(name),
    issuer: new JwtIssuer(),
    accessTokenMaxAge: options.accessTokenMaxAge ?? 7200,
  });

  const findPublic = router([...oauth.routes, ...publicConfigRoutes(reads)]);
  const findAuthenticated = router([
    ...configRoutes(),
    ...iamRoutes({ kube, reads, users, started: STARTED }),
    ...tenantRoutes(reads, users),
    ...extensionRoutes(kube, distDir),
  ]);
  const serveDist = distHandler(kube, distDir);
  const toBackend = backendProxy(kube, new URL(options.backendUrl), options.apiServices);
  const toKube = kubeProxy(kube);
  const proxyAddresses = options.reverseProxyAddresses ?? {};
  const toReverseProxy = reverseProxyHandler(kube, proxyAddresses);

  async function dispatch(ctx: Ctx): Promise<void> {
    const { req, res, info } = ctx;
    const method = req.method ?? 'GET';
    if (info.cluster && info.cluster !== HOST_CLUSTER) {
      return sendStatus(res, notFound(`cluster "${info.cluster}" not found`));
    }
    const open = findPublic(method, info.path);
    if (open) {
      ctx.params = open.params;
      // /oauth checks its own credentials; elsewhere a token, when sent, names the user in the log.
      if (info.path.startsWith('/oauth/') || !bearer(req)) return open.handler(ctx);
      const user = oauth.authenticate(req);
      if (user) {
        ctx.user = user;
        ctx.logUser = user.name;
      }
      return open.handler(ctx);
    }
    if (method === 'GET' && info.path.startsWith('/dist/')) return serveDist(ctx);

    const user = oauth.authenticate(req);
    if (!user) return sendStatus(res, unauthorized());
    ctx.user = user;
    ctx.logUser = user.name;

    // ks-apiserver's ReverseProxy filter runs before its APIService filter and go-restful's routes.
    if (isProxyPath(info.path)) return toReverseProxy(ctx);
    const route = findAuthenticated(method, info.path);
    if (route) {
      ctx.params = route.params;
      return route.handler(ctx);
    }
    const target = proxyTarget(info.path);
    if (target === 'backend') return toBackend(ctx);
    if (target === 'kube') return toKube(ctx);
    // Everything else (e.g. configs/gpu/kinds, which open-source ks-apiserver does not serve) is go-restful's 404.
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found');
  }

  const server = http.createServer((req, res) => {
    const ctx: Ctx = {
      req,
      res,
      url: new URL(req.url ?? '/', 'http://shim.invalid'),
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
  // Upgraded sockets leave the server's bookkeeping (closeAllConnections does not see them): tracked to end on close.
  const tunnels = new Set<Duplex>();
  const upgrade = reverseProxyUpgrade(kube, proxyAddresses, oauth.authenticate, log);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    upgrade(req, socket, head);
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
        for (const socket of tunnels) socket.destroy();
        kube.close();
      }),
  };
}
