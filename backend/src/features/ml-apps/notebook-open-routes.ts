// Opening a notebook (docs/adr/0046): ks-apiserver's ReverseProxy passes `/proxy/ml-apps.ks-gpu-ml.io/notebook/
// <ns>/<name>/...` to us with the caller's token; we check it as any route of ours (the guard: the token, then
// whether the caller may stop or start that notebook, the `updateNotebook` permission, since whoever opens it runs
// code as it), check the notebook is running, and forward the request, or its WebSocket, to the notebook's Service.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { DnsLabel, mlAppsRoutes, NOTEBOOK_OPEN_PREFIX, notebookOpenPath } from '@ks-gpu-ml/contracts';
import type { MlAppsKube } from '../../clients/ml-apps-kube.js';
import { accessFor, type Authorizer } from '../../core/authz.js';
import { bearerToken } from '../../core/identity.js';
import {
  forwardHttp,
  forwardUpgrade,
  handshakeOf,
  routeHandshakes,
  type NotebookProxyLimits,
  type NotebookTarget,
} from '../../clients/notebook-proxy.js';
import {
  assertOpenable,
  downstreamHeaders,
  notebookOrigin,
  upstreamPath,
  upstreamRequestHeaders,
} from './notebook-open.js';
import { keepTunnelAuthorized } from './notebook-tunnel.js';

export const NOTEBOOK_PROXY_LIMITS: NotebookProxyLimits = {
  connectTimeoutMs: 5_000,
  // Saving a large notebook or running a contents call on a slow volume can take a while; none takes minutes.
  responseTimeoutMs: 60_000,
  idleTimeoutMs: 5 * 60_000,
  // JupyterLab uploads in 1 MiB chunks (base64 in JSON); a notebook saved with many plots is the largest body.
  maxBodyBytes: 32 * 1024 * 1024,
};

export interface NotebookOpenOptions {
  kube: Pick<MlAppsKube, 'getNotebook'>;
  /** The guard's authorizer: an open kernel WebSocket's caller is asked again while it lasts (notebook-tunnel.ts). */
  authorizer: Authorizer;
  /** ML_APPS_NOTEBOOK_STAND_IN_ORIGIN: tests only, a loopback stand-in Jupyter for every notebook. */
  standInOrigin?: string | undefined;
  limits?: NotebookProxyLimits;
}

/** Whoever opens a notebook runs code as it: the guard asks for its stop/start (PATCH) permission. */
const SPEC = mlAppsRoutes.updateNotebook;
const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const Params = Type.Object({ namespace: DnsLabel, name: DnsLabel });

export async function notebookOpenRoutes(app: FastifyInstance, opts: NotebookOpenOptions): Promise<void> {
  const limits = opts.limits ?? NOTEBOOK_PROXY_LIMITS;
  const tunnels = new Set<Duplex>();
  // Bodies are streamed to the notebook as they come (and counted), never parsed: this plugin's own parser.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { namespace, name } = request.params as { namespace: string; name: string };
    const target: NotebookTarget = {
      origin: notebookOrigin(namespace, name, opts.standInOrigin),
      path: upstreamPath(request.raw.url ?? '', namespace, name),
      method: request.method,
      headers: upstreamRequestHeaders(request.headers),
    };
    assertOpenable(await opts.kube.getNotebook(namespace, name), namespace, name);
    // Jupyter's base URL: the notebook's cookies stay under it (notebook-open.ts, downstreamHeaders).
    const passed = (headers: IncomingHttpHeaders) =>
      downstreamHeaders(headers, `${notebookOpenPath(namespace, name)}/`);
    const handshake = handshakeOf(request.raw);
    if (handshake) {
      const outcome = await forwardUpgrade(target, handshake.socket, handshake.head, limits, passed);
      if (outcome.upgraded) {
        void reply.hijack();
        keepTunnelAuthorized(handshake.socket, stillAllowed(request), (why) =>
          request.log.info(
            { outcome: why },
            'ml-apps: notebook WebSocket ended, its caller no longer authorized',
          ),
        );
        tunnels.add(handshake.socket);
        handshake.socket.once('close', () => tunnels.delete(handshake.socket));
        return;
      }
      return passOn(reply, outcome.response, passed);
    }
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : request.raw;
    return passOn(reply, await forwardHttp(target, body, limits), passed);
  }

  /** The guard's question again, for the caller of a tunnel's handshake. */
  function stillAllowed(request: FastifyRequest): () => Promise<boolean> {
    const { identity } = request;
    if (!identity) return async () => false;
    const access = accessFor(SPEC, request.params as Record<string, string>, identity);
    const token = bearerToken(request.headers);
    return async () => (await opts.authorizer.authorize({ ...access, ...(token ? { token } : {}) })).allowed;
  }

  for (const url of [
    `${NOTEBOOK_OPEN_PREFIX}/:namespace/:name`,
    `${NOTEBOOK_OPEN_PREFIX}/:namespace/:name/*`,
  ]) {
    app.route({
      method: METHODS,
      url,
      schema: { params: Params },
      // The guard authenticates and authorizes this as the notebook's stop/start (PATCH) route.
      config: { routeSpec: SPEC },
      handler: handle,
    });
  }
  routeHandshakes(app);
  // A tunnel outlives any request; a shutdown must not wait for a kernel's WebSocket to go quiet.
  app.addHook('preClose', async () => {
    for (const socket of tunnels) socket.destroy();
  });
}

async function passOn(
  reply: FastifyReply,
  answer: IncomingMessage,
  passed: (headers: IncomingHttpHeaders) => Record<string, string | string[]>,
): Promise<void> {
  await reply
    .code(answer.statusCode ?? 502)
    .headers(passed(answer.headers))
    .send(answer);
}
