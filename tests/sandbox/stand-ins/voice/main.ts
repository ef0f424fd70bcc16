// The voice provider stand-ins (Alibaba Cloud VMS, Tencent Cloud VMS, Twilio): the real services are unreachable
// from the sandbox. One node:http server on loopback, one path prefix per provider (/aliyun/, /tencent/, /twilio/),
// credentials from the JSON file the sandbox writes, and a control endpoint for tests:
//   POST /control/<provider> {"fault": "none|rate-limit|invalid-key|timeout|500"}   switch a fault
//   POST /control/<provider> {"fault": ..., "callee": "+86..."}                     ... for that callee only
//   GET  /control/<provider>/received                                               what it received
//   POST /control/reset                                                             faults off, records cleared
// Usage: node --import tsx main.ts --port <port> --credentials <file>
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { aliyunStandIn, type AliyunCredentials } from './aliyun.js';
import { FAULTS, newState, switchFault, type Fault, type ProviderState } from './state.js';
import { tencentStandIn, type TencentCredentials } from './tencent.js';
import { twilioStandIn, type TwilioCredentials } from './twilio.js';

export interface VoiceCredentials {
  aliyun: AliyunCredentials;
  tencent: TencentCredentials;
  twilio: TwilioCredentials;
}

type Provider = keyof VoiceCredentials;
const PROVIDERS: readonly Provider[] = ['aliyun', 'tencent', 'twilio'];
const MAX_BODY = 64 * 1024;

const { values } = parseArgs({ options: { port: { type: 'string' }, credentials: { type: 'string' } } });
const credentials = JSON.parse(readFileSync(values.credentials!, 'utf8')) as VoiceCredentials;
const states = Object.fromEntries(PROVIDERS.map((p) => [p, newState()])) as Record<Provider, ProviderState>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
      if (body.length > MAX_BODY) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function control(res: ServerResponse, method: string, parts: string[], body: string): void {
  const [provider, what] = parts as [Provider | 'reset', string | undefined];
  if (provider === 'reset' && method === 'POST') {
    for (const p of PROVIDERS) states[p] = newState();
    return send(res, 200, { reset: true });
  }
  const state = states[provider as Provider];
  if (!state)
    return send(res, 404, { error: `unknown provider ${provider}; one of ${PROVIDERS.join(', ')}` });
  if (method === 'GET' && what === 'received') return send(res, 200, state.received);
  const { fault, callee } = JSON.parse(body || '{}') as { fault?: Fault; callee?: unknown };
  const calleeOk = callee === undefined || (typeof callee === 'string' && callee.length > 0);
  if (method !== 'POST' || !fault || !FAULTS.includes(fault) || !calleeOk) {
    return send(res, 400, {
      error: `POST {"fault": one of ${FAULTS.join(', ')}, "callee": optional, one number only}`,
    });
  }
  switchFault(state, fault, callee as string | undefined);
  send(res, 200, { provider, fault, ...(callee === undefined ? {} : { callee }) });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const method = req.method ?? 'GET';
  const [first, ...rest] = url.pathname.split('/').filter(Boolean);
  const body = await readBody(req);
  if (first === 'healthz') return send(res, 200, { ok: true });
  if (first === 'control') return control(res, method, rest, body);
  const reply =
    first === 'aliyun'
      ? aliyunStandIn(states.aliyun, credentials.aliyun, url.searchParams)
      : first === 'tencent' && method === 'POST'
        ? tencentStandIn(states.tencent, credentials.tencent, req.headers, body)
        : first === 'twilio'
          ? twilioStandIn(states.twilio, credentials.twilio, method, '/' + rest.join('/'), req.headers, body)
          : { status: 404, body: { error: `no stand-in at ${url.pathname}` } };
  // A timeout fault: answer nothing, as an overloaded provider does; the client's deadline must end the call.
  if (reply === 'hang') return;
  send(res, reply.status, reply.body);
}

createServer((req, res) => {
  handle(req, res).catch((err: Error) => send(res, 500, { error: err.message }));
}).listen(Number(values.port), '127.0.0.1', () => {
  console.log(`voice provider stand-ins on http://127.0.0.1:${values.port} (aliyun, tencent, twilio)`);
});
