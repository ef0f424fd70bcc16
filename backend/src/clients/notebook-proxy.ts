// The I/O of opening a notebook (docs/adr/0046): one HTTP exchange or one WebSocket tunnel to the notebook's
// Jupyter. The feature decides where and with which headers; this file only moves bytes, with deadlines and a
// bounded request body.
import http, {
  ServerResponse,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.js';
import { UpstreamError } from './upstream.js';

export interface NotebookProxyLimits {
  /** Until the notebook's TCP connection is open. */
  connectTimeoutMs: number;
  /** Until the notebook's response headers (or its 101) have arrived. */
  responseTimeoutMs: number;
  /** An HTTP exchange's socket idle after that (a WebSocket tunnel has none: kernels stay quiet for hours). */
  idleTimeoutMs: number;
  /** The largest request body passed on; a larger one is answered 413 and the notebook's request aborted. */
  maxBodyBytes: number;
}

export interface NotebookTarget {
  /** `http://host[:port]`. */
  origin: string;
  /** Path and query, as the notebook serves them. */
  path: string;
  method: string;
  headers: OutgoingHttpHeaders;
}

const UPSTREAM = 'notebook';
const unreachable = (cause: unknown) =>
  new UpstreamError(UPSTREAM, cause, { key: 'ML_APPS_NOTEBOOK_OPEN_UNREACHABLE', params: {} });
export const bodyTooLarge = (maxBytes: number) =>
  new AppError(413, 'BadRequest', 'ML_APPS_NOTEBOOK_OPEN_BODY_TOO_LARGE', { maxBytes }, { maxBytes });

function open(target: NotebookTarget, limits: NotebookProxyLimits): http.ClientRequest {
  const url = new URL(target.path, target.origin);
  const request = http.request(url, { method: target.method, headers: target.headers, agent: false });
  // The deadlines: connecting, then the answer's head; whichever fires destroys the request, which rejects.
  const connect = setTimeout(
    () => request.destroy(Object.assign(new Error('connect timeout'), { name: 'TimeoutError' })),
    limits.connectTimeoutMs,
  );
  const answer = setTimeout(
    () => request.destroy(Object.assign(new Error('response timeout'), { name: 'TimeoutError' })),
    limits.responseTimeoutMs,
  );
  request.on('socket', (socket) => {
    socket.once('connect', () => clearTimeout(connect));
  });
  const clear = () => {
    clearTimeout(connect);
    clearTimeout(answer);
  };
  request.once('response', clear);
  request.once('upgrade', clear);
  request.once('close', clear);
  return request;
}

/** Streams `body` into the request, aborting it when more than `maxBytes` came; resolves once all was written. */
function sendBody(request: http.ClientRequest, body: Readable | undefined, maxBytes: number): Promise<void> {
  if (!body) {
    request.end();
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    let seen = 0;
    body.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) {
        body.destroy();
        request.destroy();
        reject(bodyTooLarge(maxBytes));
        return;
      }
      if (!request.write(chunk)) body.pause();
    });
    request.on('drain', () => body.resume());
    body.once('end', () => {
      request.end();
      resolve();
    });
    body.once('error', (err) => {
      request.destroy();
      reject(err);
    });
  });
}

/**
 * One HTTP exchange: resolves with the notebook's response (its body still to be read, its socket with an idle
 * deadline), or rejects with a 502 (unreachable, timed out) or a 413 (the body passed `maxBodyBytes`).
 */
export async function forwardHttp(
  target: NotebookTarget,
  body: Readable | undefined,
  limits: NotebookProxyLimits,
): Promise<IncomingMessage> {
  const request = open(target, limits);
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', (err) => reject(unreachable(err)));
  });
  const [answer] = await Promise.all([response, sendBody(request, body, limits.maxBodyBytes)]).catch(
    (err: unknown) => {
      request.destroy();
      throw err;
    },
  );
  answer.socket.setTimeout(limits.idleTimeoutMs, () => answer.destroy());
  return answer;
}

/** How a WebSocket handshake ended at the notebook. */
export type TunnelOutcome =
  | { upgraded: true }
  /** The notebook refused the upgrade: its answer, to be passed on. */
  | { upgraded: false; response: IncomingMessage };

/** Which of the notebook's response headers the caller gets (the feature decides; hop-by-hop ones never). */
export type ResponseHeaders = (upstream: IncomingHttpHeaders) => Record<string, string | string[]>;

/**
 * A WebSocket handshake with the notebook; on its 101, writes the 101 to `client` (with the headers `passed` lets
 * through) and pipes both ways until either side closes. Rejects with a 502 when the notebook cannot be reached in
 * time (nothing written to `client` then).
 */
export async function forwardUpgrade(
  target: NotebookTarget,
  client: Duplex,
  clientHead: Buffer,
  limits: NotebookProxyLimits,
  passed: ResponseHeaders,
): Promise<TunnelOutcome> {
  const request = open(target, limits);
  request.end();
  return new Promise((resolve, reject) => {
    request.once('error', (err) => reject(unreachable(err)));
    request.once('response', (response) => resolve({ upgraded: false, response }));
    request.once('upgrade', (response, upstream, upstreamHead) => {
      client.write(handshakeHead(response, passed));
      if (upstreamHead.length > 0) client.write(upstreamHead);
      if (clientHead.length > 0) upstream.write(clientHead);
      upstream.pipe(client).pipe(upstream);
      const close = () => {
        upstream.destroy();
        client.destroy();
      };
      upstream.once('error', close).once('close', close);
      client.once('error', close).once('close', close);
      resolve({ upgraded: true });
    });
  });
}

/** The notebook's 101: the upgrade it agreed to, and the headers `passed` lets through (Sec-WebSocket-*, …). */
function handshakeHead(response: IncomingMessage, passed: ResponseHeaders): string {
  const lines = [
    `HTTP/1.1 101 ${response.statusMessage || 'Switching Protocols'}`,
    'Connection: Upgrade',
    `Upgrade: ${String(response.headers.upgrade ?? 'websocket')}`,
  ];
  for (const [name, value] of Object.entries(passed(response.headers))) {
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Set by our `upgrade` listener on a WebSocket handshake: the raw socket and what came after the headers. */
const HANDSHAKE = Symbol('notebook-proxy.handshake');
type HandshakeRequest = IncomingMessage & { [HANDSHAKE]?: { socket: Duplex; head: Buffer } };

/** The handshake's socket and early bytes when `request` is a WebSocket handshake that `routeHandshakes` routed. */
export const handshakeOf = (request: IncomingMessage) => (request as HandshakeRequest)[HANDSHAKE];

/**
 * Node hands a WebSocket handshake to the server's `upgrade` listeners with the bare socket, not to fastify. As
 * @fastify/websocket does, we give fastify the request with a response on that socket, so the handshake goes
 * through the same routing and guard as any request; a refusal (401, 403, 409, …) is written there and the socket
 * closed. This is the server's one `upgrade` listener: other paths get fastify's ordinary answer (404).
 */
export function routeHandshakes(app: FastifyInstance): void {
  app.server.on('upgrade', (request: HandshakeRequest, socket: Duplex, head: Buffer) => {
    request[HANDSHAKE] = { socket, head };
    const response = new ServerResponse(request);
    response.shouldKeepAlive = false;
    response.assignSocket(socket as Socket);
    response.once('finish', () => socket.end());
    app.routing(request, response);
  });
}
