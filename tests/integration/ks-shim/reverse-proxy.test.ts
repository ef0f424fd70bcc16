// The ks-apiserver stand-in's ReverseProxy filter against the running sandbox: ReverseProxy objects and the
// nonResourceURLs RBAC live in the real kube-apiserver; the upstream is a loopback echo server (HTTP and a raw
// WebSocket tunnel) that records what reached it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../sandbox/ks-shim/kube.js';
import { startKsShim, type KsShim } from '../../sandbox/ks-shim/server.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { ksLogin } from '../../sandbox/src/ks-login.js';
import { webSocketHandshake } from '../../sandbox/src/testing.js';
import { waitFor } from '../../sandbox/src/wait.js';

const suffix = Math.random().toString(16).slice(2, 8);
const BASE = `/proxy/ks-shim-test-${suffix}`;
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const PROXIES = '/apis/extensions.kubesphere.io/v1alpha1/reverseproxies';
const ROLE = `ks-shim-rp-${suffix}`;
const LOWER_ROLE = `ks-shim-rp-lower-${suffix}`;
const UPSTREAM_HOST = `rp-upstream.ks-shim-test-${suffix}.svc:80`;
const PROXY_NAMES = [`ks-shim-test-${suffix}-app`, `ks-shim-test-${suffix}-strip`];

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** An upstream that echoes what it got, and accepts any WebSocket upgrade then echoes the raw bytes. */
async function startUpstream() {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(`upstream ${req.url}`));
  });
  server.on('upgrade', (req: http.IncomingMessage, socket) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.pipe(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A WebSocket handshake to the shim; on 101, bytes sent after it must come back through the tunnel. */
function upgrade(
  shim: KsShim,
  path: string,
  token?: string,
  keepOpen = false,
): Promise<{ status: number; echoed?: string }> {
  const socket = webSocketHandshake('127.0.0.1', shim.port, path, token);
  return new Promise((resolve, reject) => {
    let data = '';
    let status = 0;
    const timer = setTimeout(() => (socket.destroy(), reject(new Error(`no answer: ${data}`))), 10_000);
    const finish = (value: { status: number; echoed?: string }) => {
      clearTimeout(timer);
      if (!keepOpen) socket.destroy();
      resolve(value);
    };
    socket.on('error', reject);
    socket.on('close', () => status && finish({ status }));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!status) {
        status = Number(data.split(' ')[1]);
        if (status !== 101) return;
        socket.write('ping through the tunnel');
      }
      const rest = data.slice(end + 4);
      if (status === 101 && rest.length >= 'ping through the tunnel'.length) finish({ status, echoed: rest });
    });
  });
}

describe('ks-shim ReverseProxy against the sandbox', () => {
  const env = readSandboxEnv();
  let kube: KubeClient;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let shim: KsShim;
  const tokens: Record<string, string> = {};
  const token = (name: string) => tokens[name]!;
  const as = (name: string | undefined, path: string, init: RequestInit = {}) =>
    fetch(`${shim.url}${path}`, {
      ...init,
      headers: { ...(name ? { authorization: `Bearer ${token(name)}` } : {}) },
    });

  before(async () => {
    kube = await KubeClient.fromKubeconfig(env.KUBECONFIG);
    const rule = (verbs: string[], path: string) => [{ nonResourceURLs: [path], verbs }];
    const role = (name: string, rules: unknown) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules,
    });
    const binding = (name: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
      roleRef: { kind: 'ClusterRole', apiGroup: 'rbac.authorization.k8s.io', name },
    });
    const reverseProxy = (name: string, path: string, directives?: object) => ({
      apiVersion: 'extensions.kubesphere.io/v1alpha1',
      kind: 'ReverseProxy',
      metadata: { name },
      spec: { matcher: { path, method: '*' }, upstream: { url: `http://${UPSTREAM_HOST}` }, directives },
      status: { state: 'Available' },
    });
    const created = await Promise.all([
      // As the chart's RoleTemplate writes it: upper-case verbs, which KubeSphere compares with the method.
      kube.request('POST', `${RBAC}/clusterroles`, role(ROLE, rule(['GET', 'POST'], `${BASE}/*`))),
      kube.request('POST', `${RBAC}/clusterrolebindings`, binding(ROLE)),
      // Kubernetes' own lower-case spelling, which a /proxy request never matches.
      kube.request('POST', `${RBAC}/clusterroles`, role(LOWER_ROLE, rule(['get'], `${BASE}-lower/*`))),
      kube.request('POST', `${RBAC}/clusterrolebindings`, binding(LOWER_ROLE)),
      kube.request('POST', PROXIES, reverseProxy(PROXY_NAMES[0]!, `${BASE}/app/*`)),
      kube.request(
        'POST',
        PROXIES,
        reverseProxy(PROXY_NAMES[1]!, `${BASE}/strip/*`, {
          stripPathPrefix: `${BASE}/strip`,
          headerUp: ['-Authorization'],
        }),
      ),
    ]);
    for (const res of created)
      assert.ok(res.status < 300, `setup answered ${res.status}: ${JSON.stringify(res.body)}`);
    upstream = await startUpstream();
    shim = await startKsShim({
      kubeconfig: env.KUBECONFIG,
      users: env.SANDBOX_USERS,
      backendUrl: 'http://127.0.0.1:9',
      reverseProxyAddresses: { [UPSTREAM_HOST]: `127.0.0.1:${upstream.port}` },
      log: () => undefined,
    });
    for (const name of ['alice', 'bob']) tokens[name] = await ksLogin(shim.url, name);
    await waitFor('the RBAC rule in effect', async () => (await as('alice', `${BASE}/app/`)).status === 200);
  });

  after(async () => {
    await shim?.close();
    await upstream?.close();
    if (kube) {
      for (const name of PROXY_NAMES) await kube.request('DELETE', `${PROXIES}/${name}`);
      for (const name of [ROLE, LOWER_ROLE]) {
        await kube.request('DELETE', `${RBAC}/clusterrolebindings/${name}`);
        await kube.request('DELETE', `${RBAC}/clusterroles/${name}`);
      }
      kube.close();
    }
  });

  it('passes an allowed request on with the path unchanged and the Authorization header', async () => {
    const res = await as('alice', `${BASE}/app/lab/tree?x=1`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), `upstream ${BASE}/app/lab/tree?x=1`);
    const last = upstream.seen.at(-1)!;
    assert.equal(last.headers.authorization, `Bearer ${token('alice')}`);
    assert.equal(last.headers['x-remote-user'], undefined, 'no authProxy: no identity headers');
  });

  it('stripPathPrefix and a -Authorization headerUp are applied', async () => {
    const res = await as('alice', `${BASE}/strip/api/x`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'upstream /api/x');
    assert.equal(upstream.seen.at(-1)!.headers.authorization, undefined);
  });

  it('authorizes by nonResourceURLs with the upper-case method: other users, methods and lower-case rules fail', async () => {
    const before = upstream.seen.length;
    assert.equal((await as('bob', `${BASE}/app/`)).status, 403);
    assert.equal((await as('alice', `${BASE}/app/`, { method: 'DELETE' })).status, 403);
    assert.equal((await as('alice', `${BASE}-lower/app/`)).status, 403);
    assert.equal((await as(undefined, `${BASE}/app/`)).status, 401);
    assert.equal(upstream.seen.length, before, 'nothing refused reached the upstream');
  });

  it('an authorized path no ReverseProxy matches is 404', async () => {
    assert.equal((await as('alice', `${BASE}/elsewhere`)).status, 404);
  });

  it('tunnels an allowed WebSocket upgrade and refuses the others before the upstream', async () => {
    const ok = await upgrade(shim, `${BASE}/app/api/kernels/k/channels`, token('alice'));
    assert.equal(ok.status, 101);
    assert.equal(ok.echoed, 'ping through the tunnel');
    assert.equal(upstream.seen.at(-1)!.headers.authorization, `Bearer ${token('alice')}`);
    const before = upstream.seen.length;
    assert.equal((await upgrade(shim, `${BASE}/app/x`, token('bob'))).status, 403);
    assert.equal((await upgrade(shim, `${BASE}/app/x`)).status, 401);
    assert.equal((await upgrade(shim, '/kapis/x', token('alice'))).status, 404);
    assert.equal(upstream.seen.length, before);
  });

  it('close() ends a tunnel still open (the HTTP server does not track upgraded sockets)', async () => {
    const second = await startKsShim({
      kubeconfig: env.KUBECONFIG,
      users: env.SANDBOX_USERS,
      backendUrl: 'http://127.0.0.1:9',
      reverseProxyAddresses: { [UPSTREAM_HOST]: `127.0.0.1:${upstream.port}` },
      log: () => undefined,
    });
    try {
      // Each stand-in signs its own tokens.
      const accessToken = await ksLogin(second.url, 'alice');
      const open = await upgrade(second, `${BASE}/app/kept`, accessToken, true);
      assert.equal(open.status, 101);
    } catch (error) {
      await second.close();
      throw error;
    }
    const closed = await Promise.race([
      second.close().then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still open after 5 s'), 5_000)),
    ]);
    assert.equal(closed, 'closed');
  });
});
