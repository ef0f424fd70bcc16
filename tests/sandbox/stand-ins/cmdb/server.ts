// The CMDB stand-in (no BlueKing CMDB or NetBox runs here): BlueKing CMDB's API-gateway resources under /api/v3/
// (POST, X-Bkapi-Authorization), NetBox's REST API under /api/tenancy/ (GET, Token/Bearer) and an in-house generic
// JSON API under /generic/, over one generated estate (estate.ts: 60 systems, 5,000 workloads, 5,000 hosts).
// Faults per API for tests: down (connection reset), timeout (never answers), slow, server-error (500),
// malformed (truncated JSON), wrong-shape (valid JSON the API does not document).
// Control: POST /_stand-in/faults {target, fault|null}; POST /_stand-in/systems {name, importance, namespaces, mobile?};
// GET /_stand-in/requests (answered requests per API).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { bkAuthError, bkCmdb, type Answer } from './bkcmdb.js';
import { generic, genericAuthError } from './generic.js';
import { netbox, netboxAuthError } from './netbox.js';
import { CmdbState, faults, targets, type Fault, type Target } from './state.js';

type Json = Record<string, unknown>;

async function readBody(req: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const chunk of req) raw += (chunk as Buffer).toString('utf8');
  return raw;
}

function parse(raw: string): Json | undefined {
  try {
    const value: unknown = raw ? JSON.parse(raw) : {};
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function reply(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(answer.body));
}

function targetOf(path: string): Target | undefined {
  if (path.startsWith('/api/v3/')) return 'bk-cmdb';
  if (path.startsWith('/api/')) return 'netbox';
  if (path.startsWith('/generic/')) return 'generic';
  return undefined;
}

/** Applies a fault; true when it answered (or deliberately never will). */
async function applyFault(state: CmdbState, fault: Fault | undefined, res: ServerResponse): Promise<boolean> {
  if (!fault) return false;
  if (fault === 'down') {
    res.socket?.destroy();
    return true;
  }
  if (fault === 'timeout') return true;
  if (fault === 'slow') {
    await new Promise((r) => setTimeout(r, state.slowMs));
    return false;
  }
  if (fault === 'server-error') {
    res.writeHead(500, { 'content-type': 'text/html' });
    res.end('<h1>Server Error (500)</h1>');
  } else if (fault === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"result": true, "data": {"info": [');
  } else {
    reply(res, {
      status: 200,
      body: { result: true, code: 0, data: 'unexpected', results: 'unexpected', items: 42 },
    });
  }
  return true;
}

function control(state: CmdbState, req: IncomingMessage, path: string, body: Json | undefined): Answer {
  if (req.method === 'GET' && path === '/_stand-in/requests') return { status: 200, body: state.requests };
  if (!body) return { status: 400, body: { error: 'body must be a JSON object' } };
  if (path === '/_stand-in/faults') {
    const { target, fault } = body as { target?: unknown; fault?: unknown };
    if (!targets.includes(target as Target) || (fault !== null && !faults.includes(fault as Fault))) {
      return {
        status: 400,
        body: { error: `target one of ${targets.join(', ')}; fault one of ${faults.join(', ')} or null` },
      };
    }
    if (fault === null) state.faults.delete(target as Target);
    else state.faults.set(target as Target, fault as Fault);
    if (typeof body.slowMs === 'number') state.slowMs = body.slowMs;
    return { status: 200, body: { ok: true } };
  }
  if (path === '/_stand-in/systems') {
    const { name, importance, namespaces, mobile } = body as {
      name?: unknown;
      importance?: unknown;
      namespaces?: unknown;
      mobile?: unknown;
    };
    if (
      typeof name !== 'string' ||
      !['P1', 'P2', 'P3', 'P4'].includes(importance as string) ||
      !Array.isArray(namespaces) ||
      !namespaces.every((n) => typeof n === 'string') ||
      (mobile !== undefined && (typeof mobile !== 'string' || !/^\+\d{6,15}$/.test(mobile)))
    ) {
      return {
        status: 400,
        body: {
          error:
            'name (string), importance (P1–P4) and namespaces (strings) are required; mobile, if given, is E.164',
        },
      };
    }
    const system = state.upsertSystem({
      name,
      importance: importance as 'P1',
      namespaces: namespaces as string[],
      ...(typeof mobile === 'string' ? { mobile } : {}),
    });
    return { status: 200, body: system };
  }
  return { status: 404, body: { error: `the CMDB stand-in has no ${req.method} ${path}` } };
}

async function route(state: CmdbState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const base = `http://${req.headers.host ?? 'stand-in'}`;
  if (url.pathname === '/healthz') return reply(res, { status: 200, body: { ok: true } });
  if (url.pathname.startsWith('/_stand-in/')) {
    const raw = req.method === 'POST' ? await readBody(req) : '';
    return reply(res, control(state, req, url.pathname, req.method === 'POST' ? parse(raw) : {}));
  }
  const target = targetOf(url.pathname);
  if (!target) return reply(res, { status: 404, body: { error: `no ${url.pathname}` } });
  const raw = await readBody(req);
  if (await applyFault(state, state.faults.get(target), res)) return;
  state.requests[target]++;
  if (target === 'bk-cmdb') {
    if (req.method !== 'POST')
      return reply(res, {
        status: 405,
        body: { result: false, code: 1640405, message: 'method not allowed', data: null },
      });
    const authError = bkAuthError(state, req.headers['x-bkapi-authorization'] as string | undefined);
    if (authError) return reply(res, authError);
    const body = parse(raw);
    if (!body)
      return reply(res, {
        status: 200,
        body: {
          result: false,
          code: 1199001,
          message: 'request body is not valid JSON',
          permission: null,
          data: null,
        },
      });
    return reply(res, bkCmdb(state, url.pathname, body));
  }
  if (req.method !== 'GET')
    return reply(res, { status: 405, body: { detail: `Method "${req.method}" not allowed.` } });
  if (target === 'netbox') {
    const authError = netboxAuthError(state, req.headers.authorization);
    return reply(res, authError ?? netbox(state, base, url));
  }
  const authError = genericAuthError(state, req.headers.authorization);
  return reply(res, authError ?? generic(state, url));
}

export function createCmdbStandIn(state = new CmdbState()): Server {
  return createServer((req, res) => {
    route(state, req, res).catch((err: unknown) => reply(res, { status: 500, body: { error: String(err) } }));
  });
}
