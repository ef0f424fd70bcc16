// What every ks-shim handler gets (the request, its RequestInfo, route parameters, the caller) and the two
// request readers the handlers share.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxUser } from '../src/env.js';
import type { RequestInfo } from './requestinfo.js';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: RequestInfo;
  params: Record<string, string>;
  /** Set once the request is authenticated; public routes may run without it. */
  user: SandboxUser;
  /** The user name for the log line. */
  logUser: string;
}

export type Handler = (ctx: Ctx) => Promise<void> | void;

/** The body as text, refused past `limit` bytes so a client cannot make the shim buffer without bound. */
export function readBody(req: IncomingMessage, limit = 1 << 20): Promise<string> {
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

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearer(req: { headers: IncomingHttpHeaders }): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}
