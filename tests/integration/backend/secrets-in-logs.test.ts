// Every upstream fails with a known secret in flight — a user's token, the KS_TOKEN_FILE token, the kubeconfig
// token, credentials in PROMETHEUS_URL — and none of them may appear in the log or in a tenant's answer. Needs no
// sandbox: a local ks-apiserver stand-in answers 500/403, resets or hangs; kube-apiserver is a black hole.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gpuMonitoringRoutes } from '@ks-gpu-ml/contracts';
import {
  call,
  startBackendWith,
  writeKubeconfig as kubeconfigFile,
  type BackendProcess,
} from './backend-process.js';
import { urlOf } from './fixtures.js';

const SECRET = {
  user500: 'user-token-500-Zq81xT',
  userReset: 'user-token-reset-Pm27bW',
  userHang: 'user-token-hang-Kd93vR',
  userReview500: 'user-token-review500-Ha54cN',
  userReview403: 'user-token-review403-Lx16fG',
  tenant: 'user-token-tenant-Wy38sE',
  admin: 'user-token-admin-Qe72jU',
  service: 'service-token-Vb45nM',
  kube: 'kube-token-Tr63kA',
  promPassword: 'prom-pass-Gs29dY',
};
const PROM_USER = 'promuser';

/** Who each user token belongs to; the first three never get that far. */
const USERS: Record<string, string> = {
  [SECRET.userReview500]: 'mallory',
  [SECRET.userReview403]: 'eve',
  [SECRET.tenant]: 'alice',
  [SECRET.admin]: 'root',
};

const dir = mkdtempSync(join(tmpdir(), 'secrets-in-logs-'));

const writeKubeconfig = (port: number) => kubeconfigFile(dir, port, SECRET.kube);

/** The secrets of SECRET (and Prometheus' basic-auth header) that `text` contains. */
function leaked(text: string): string[] {
  const basic = Buffer.from(`${PROM_USER}:${SECRET.promPassword}`).toString('base64');
  return [...Object.values(SECRET), basic, `${PROM_USER}:`].filter((secret) => text.includes(secret));
}

const sockets = new Set<Socket>();
const servers: (Server | TcpServer)[] = [];
let backend: BackendProcess;
let promPort: number;

function listen(server: Server | TcpServer): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

/** ks-apiserver as an unlucky operator meets it: errors, resets and silence, chosen by the token sent. */
function ksApiserverStandIn(): Server {
  return createHttpServer((req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/oauth/userinfo') {
        if (token === SECRET.user500) return void res.writeHead(500).end('{"message":"boom"}');
        if (token === SECRET.userReset) return void req.socket.destroy();
        if (token === SECRET.userHang) return; // never answers
        const name = USERS[token];
        if (!name) return void res.writeHead(401).end();
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ preferred_username: name }));
      }
      const spec = (
        JSON.parse(body || '{}') as { spec?: { user?: string; resourceAttributes?: { group?: string } } }
      ).spec;
      if (spec?.user === 'mallory') return void res.writeHead(500).end('{"message":"review failed"}');
      if (spec?.user === 'eve') return void res.writeHead(403).end('{"message":"forbidden"}');
      const allowed = spec?.user === 'root' || spec?.resourceAttributes?.group !== '*';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: { allowed } }));
    });
  });
}

before(async () => {
  const ksPort = await listen(ksApiserverStandIn());
  // kube-apiserver that accepts connections and never answers: every call must end at its deadline.
  const kubePort = await listen(createTcpServer(() => undefined));
  // Prometheus that resets every connection: "unreachable".
  promPort = await listen(createTcpServer((socket) => socket.destroy()));

  const kubeconfig = writeKubeconfig(kubePort);
  const tokenFile = join(dir, 'ks-token');
  writeFileSync(tokenFile, SECRET.service);

  backend = await startBackendWith({
    AUTH_MODE: 'kubesphere',
    KS_APISERVER_URL: `http://127.0.0.1:${ksPort}`,
    KS_TOKEN_FILE: tokenFile,
    KUBECONFIG: kubeconfig,
    PROMETHEUS_URL: `http://${PROM_USER}:${SECRET.promPassword}@127.0.0.1:${promPort}`,
    FEATURES: 'gpu-monitoring',
    UPSTREAM_TIMEOUT_MS: '700',
    PROMETHEUS_TIMEOUT_MS: '700',
    AUTHZ_CACHE_TTL_MS: '0',
    IDENTITY_CACHE_TTL_MS: '0',
  });
});

after(async () => {
  await backend?.stop();
  for (const socket of sockets) socket.destroy();
  for (const server of servers) server.close();
});

const summaryUrl = urlOf(gpuMonitoringRoutes.getClusterSummary, '');
const lang = { 'accept-language': 'en' };

describe('no secret in any log line or tenant answer when upstreams fail', () => {
  const answers: { status: number; body: Record<string, unknown> }[] = [];

  it('each failing upstream answers the caller with a 5xx (or 401 for a rejected token)', async () => {
    for (const token of [SECRET.user500, SECRET.userReset, SECRET.userHang, SECRET.userReview500]) {
      const res = await call(backend, 'GET', summaryUrl, { token, headers: lang });
      assert.ok(res.status >= 500, `${token}: ${res.status} ${JSON.stringify(res.body)}`);
      answers.push(res);
    }
    // ks-apiserver refusing our own access review (403) is our failure, not the caller's.
    const refused = await call(backend, 'GET', summaryUrl, { token: SECRET.userReview403, headers: lang });
    assert.ok(refused.status >= 500, JSON.stringify(refused.body));
    const ready = await fetch(`${backend.url}/readyz`);
    assert.equal(ready.status, 503, 'kube-apiserver is a black hole, so the backend is not ready');
  });

  it('a tenant hears "the metrics service is unreachable" with the request id, never the Prometheus URL', async () => {
    const res = await call(backend, 'GET', summaryUrl, { token: SECRET.tenant, headers: lang });
    assert.equal(res.status, 502, JSON.stringify(res.body));
    answers.push(res);
    const message = String(res.body.message);
    assert.match(message, /metrics service is unreachable/);
    const requestId = (res.body.details as { requestId?: string }).requestId;
    assert.ok(requestId && message.includes(requestId), message);
    assert.doesNotMatch(JSON.stringify(res.body), /127\.0\.0\.1|promuser|prom-pass/);
    const zh = await call(backend, 'GET', summaryUrl, {
      token: SECRET.tenant,
      headers: { 'accept-language': 'zh' },
    });
    assert.match(String(zh.body.message), /指标服务/);
  });

  it('a platform admin is told which Prometheus failed, without its credentials', async () => {
    const res = await call(backend, 'GET', summaryUrl, { token: SECRET.admin, headers: lang });
    assert.equal(res.status, 502, JSON.stringify(res.body));
    answers.push(res);
    const promHost = new URL(`http://${String(res.body.message).match(/127\.0\.0\.1:\d+/)?.[0] ?? 'none'}`);
    assert.equal(promHost.hostname, '127.0.0.1', String(res.body.message));
    assert.doesNotMatch(JSON.stringify(res.body), /promuser|prom-pass/);
  });

  it('the log holds the failures, reduced, and none of the secrets', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the last lines flush
    const log = backend.logs.join('\n');
    const failures = backend.logs.filter((line) => line.includes('"request failed"'));
    assert.ok(failures.length >= 7, `expected every failure logged, got:\n${log}`);
    const promUrl = `"url":"http://127.0.0.1:${promPort}/api/v1/query"`;
    assert.ok(log.includes(promUrl), `the log names the Prometheus URL without credentials:\n${log}`);
    assert.deepEqual(leaked(log), [], log);
    assert.deepEqual(leaked(JSON.stringify(answers)), []);
  });
});

describe('no secret in the log when kube-apiserver resets or never answers a TokenReview', () => {
  it("logs both failures reduced, without the kubeconfig token or the users' tokens", async () => {
    let connections = 0;
    // Every other connection is reset; the rest are held open without an answer.
    const kubePort = await listen(
      createTcpServer((socket) => void (connections++ % 2 === 0 && socket.destroy())),
    );
    const kube = await startBackendWith({
      KUBECONFIG: writeKubeconfig(kubePort),
      PROMETHEUS_URL: 'http://127.0.0.1:9',
      FEATURES: 'gpu-monitoring',
      UPSTREAM_TIMEOUT_MS: '700',
      IDENTITY_CACHE_TTL_MS: '0',
    });
    try {
      for (const token of [SECRET.user500, SECRET.userHang, SECRET.userReset]) {
        const res = await call(kube, 'GET', summaryUrl, { token });
        assert.equal(res.status, 502, JSON.stringify(res.body));
        assert.deepEqual(leaked(JSON.stringify(res.body)), []);
      }
    } finally {
      await kube.stop();
    }
    const log = kube.logs.join('\n');
    assert.ok(log.includes('tokenreviews'), `the log names the failed call:\n${log}`);
    assert.deepEqual(leaked(log), [], log);
  });
});
