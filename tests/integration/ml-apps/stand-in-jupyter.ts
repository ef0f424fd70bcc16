// STAND-IN for a notebook's Jupyter server (no notebook image runs in the sandbox: KWOK's pods run nothing): a
// loopback HTTP server that records what reaches it and answers as Jupyter's parts that matter to a proxy do — a
// page under its base URL with its _xsrf cookie, a JSON echo of a body, and a kernel channel over WebSocket (RFC
// 6455, written here by hand: it echoes each text frame back as `echo:<text>`).
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface StandInJupyter {
  /** `http://127.0.0.1:<port>`: the backend's ML_APPS_NOTEBOOK_STAND_IN_ORIGIN. */
  origin: string;
  /** What reached it, oldest first: method, path with query, headers, body bytes. */
  requests: { method: string; url: string; headers: IncomingHttpHeaders; bodyBytes: number }[];
  close(): Promise<void>;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** A WebSocket text frame, unmasked (server to client) or masked (client to server). */
export function textFrame(text: string, masked: boolean): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error('the stand-in speaks short frames only');
  const mask = masked ? Buffer.from([1, 2, 3, 4]) : Buffer.alloc(0);
  const body = masked ? payload.map((b, i) => b ^ mask[i % 4]!) : payload;
  return Buffer.concat([Buffer.from([0x81, (masked ? 0x80 : 0) | payload.length]), mask, body]);
}

/** The text of one short frame (masked or not), or undefined while it has not fully arrived. */
export function readTextFrame(data: Buffer): string | undefined {
  if (data.length < 2) return undefined;
  const masked = (data[1]! & 0x80) !== 0;
  const length = data[1]! & 0x7f;
  const start = 2 + (masked ? 4 : 0);
  if (data.length < start + length) return undefined;
  const payload = data.subarray(start, start + length);
  const mask = data.subarray(2, 6);
  return Buffer.from(masked ? payload.map((b, i) => b ^ mask[i % 4]!) : payload).toString();
}

export const acceptKey = (key: string) =>
  createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');

export async function startStandInJupyter(): Promise<StandInJupyter> {
  const requests: StandInJupyter['requests'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodyBytes });
      if (req.method === 'GET') {
        res.writeHead(200, {
          'content-type': 'text/html',
          'set-cookie': '_xsrf=stand-in; Path=/',
          'x-stand-in': 'jupyter',
        });
        res.end(`<html>stand-in jupyter at ${req.url}</html>`);
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ bodyBytes }));
    });
  });
  server.on('upgrade', (req, socket: Socket) => {
    requests.push({ method: 'UPGRADE', url: req.url ?? '', headers: req.headers, bodyBytes: 0 });
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${acceptKey(String(req.headers['sec-websocket-key']))}\r\n\r\n`,
    );
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const text = readTextFrame(buffered);
      if (text === undefined) return;
      buffered = Buffer.alloc(0);
      socket.write(textFrame(`echo:${text}`, false));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
