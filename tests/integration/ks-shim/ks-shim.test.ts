// ks-shim against the running sandbox (`npm run sandbox -- up`): OAuth login, the /kapis authorization walk
// before the extension backend, impersonation for /api, the /clusters/host prefix and the platform endpoints.
// The backend is a tiny echo server in this file that records what reached it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwtPayload } from '../../sandbox/ks-shim/jwt.js';
import { KubeClient } from '../../sandbox/ks-shim/kube.js';
import { startKsShim, type KsShim } from '../../sandbox/ks-shim/server.js';
import { readSandboxEnv, sandboxUser } from '../../sandbox/src/env.js';
import { freePort } from '../../sandbox/src/ports.js';
import { waitFor } from '../../sandbox/src/wait.js';

const G = 'gpu-quota.ks-gpu-ml.io';
const QUOTAS = (ns: string) => `/kapis/${G}/v1alpha1/namespaces/${ns}/gpuquotas`;
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const suffix = Math.random().toString(16).slice(2, 8);
const EDIT_ROLE = `ks-shim-test-${suffix}:gpu-quota-edit`;
const WS_ROLE = `ks-shim-test-${suffix}:ws-alpha-gpuquotas`;

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

async function startEchoBackend(): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echo: req.url, user: req.headers['x-remote-user'] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const form = (fields: Record<string, string>) =>
  new URLSearchParams({ client_id: 'kubesphere', client_secret: 'kubesphere', ...fields });

describe('ks-shim against the sandbox', () => {
  const env = readSandboxEnv();
  let kube: KubeClient;
  let backend: Awaited<ReturnType<typeof startEchoBackend>>;
  let shim: KsShim;
  let distDir: string;
  const logLines: string[] = [];
  const tokens: Record<string, string> = {};

  const login = async (name: string, password = sandboxUser(name).password) =>
    fetch(`${shim.url}/oauth/token`, {
      method: 'POST',
      body: form({ grant_type: 'password', username: name, password }),
    });

  const as = (name: string | undefined, path: string, init: RequestInit = {}) =>
    fetch(`${shim.url}${path}`, {
      ...init,
      headers: {
        ...(name ? { authorization: `Bearer ${tokens[name]}` } : {}),
        ...(init.headers as Record<string, string>),
      },
    });

  before(async () => {
    kube = await KubeClient.fromKubeconfig(env.KUBECONFIG);
    // RBAC for our API group: aggregated into `edit` (so bob, editor of beta-research, may use it there),
    // and a workspace-scope grant for ws-admin on ws-alpha only (the shim's workspace convention).
    const created = await Promise.all([
      kube.request('POST', `${RBAC}/clusterroles`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: EDIT_ROLE, labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } },
        rules: [{ apiGroups: [G], resources: ['*'], verbs: ['*'] }],
      }),
      kube.request('POST', `${RBAC}/clusterroles`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: WS_ROLE },
        rules: [
          {
            apiGroups: [G],
            resources: ['workspaces/gpuquotas'],
            resourceNames: ['ws-alpha'],
            verbs: ['get', 'list'],
          },
        ],
      }),
      kube.request('POST', `${RBAC}/clusterrolebindings`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: WS_ROLE },
        subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'ws-admin' }],
        roleRef: { kind: 'ClusterRole', apiGroup: 'rbac.authorization.k8s.io', name: WS_ROLE },
      }),
    ]);
    for (const res of created)
      assert.ok(res.status < 300, `RBAC setup answered ${res.status}: ${JSON.stringify(res.body)}`);
    // The aggregation controller of kube-controller-manager copies the rules into `edit`.
    await waitFor(`${G} rules aggregated into the edit ClusterRole`, async () => {
      const review = await kube.review({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: 'bob',
          groups: ['system:authenticated'],
          resourceAttributes: { namespace: 'beta-research', verb: 'list', group: G, resource: 'gpuquotas' },
        },
      });
      return review.allowed;
    });

    distDir = mkdtempSync(join(tmpdir(), 'ks-shim-dist-'));
    mkdirSync(join(distDir, 'gpu-demo'));
    writeFileSync(
      join(distDir, 'gpu-demo', 'index.js'),
      'System.register([], function () { return {}; });\n',
    );
    backend = await startEchoBackend();
    shim = await startKsShim({
      kubeconfig: env.KUBECONFIG,
      users: env.SANDBOX_USERS,
      backendUrl: backend.url,
      distDir,
      log: (line) => logLines.push(line),
    });
    for (const name of ['admin', 'ws-admin', 'alice', 'bob', 'viewer']) {
      const res = await login(name);
      assert.equal(res.status, 200, `login of ${name}`);
      tokens[name] = ((await res.json()) as { access_token: string }).access_token;
    }
  });

  after(async () => {
    await shim?.close();
    await backend?.close();
    if (distDir) rmSync(distDir, { recursive: true, force: true });
    if (kube) {
      await kube.request('DELETE', `${RBAC}/clusterrolebindings/${WS_ROLE}`);
      await kube.request('DELETE', `${RBAC}/clusterroles/${WS_ROLE}`);
      await kube.request('DELETE', `${RBAC}/clusterroles/${EDIT_ROLE}`);
      kube.close();
    }
  });

  describe('OAuth', () => {
    it('issues a JWT for the users.json password, as the console BFF expects', async () => {
      const res = await login('alice');
      assert.equal(res.status, 200);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.token_type, 'Bearer');
      assert.equal(typeof body.refresh_token, 'string');
      assert.ok(Number(body.expires_in) > 0);
      const payload = decodeJwtPayload(String(body.access_token))!;
      assert.equal(payload.username, 'alice');
      assert.equal(payload.token_type, 'access_token');
      assert.ok(Number(payload.exp) > Date.now() / 1000);
    });

    it('refuses a wrong password, an unknown user and a wrong client', async () => {
      const wrong = await login('alice', 'not-the-password');
      assert.equal(wrong.status, 400);
      assert.deepEqual(await wrong.json(), {
        error: 'invalid_grant',
        error_description: 'incorrect password',
      });
      assert.equal((await login('mallory', 'x')).status, 400);
      const client = await fetch(`${shim.url}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          username: 'alice',
          password: sandboxUser('alice').password,
          client_id: 'x',
          client_secret: 'y',
        }),
      });
      assert.equal(client.status, 401);
      assert.equal(((await client.json()) as { error: string }).error, 'invalid_client');
    });

    it('refreshes with a refresh token but not with an access token', async () => {
      const first = (await (await login('bob')).json()) as { access_token: string; refresh_token: string };
      const refresh = (token: string) =>
        fetch(`${shim.url}/oauth/token`, {
          method: 'POST',
          body: form({ grant_type: 'refresh_token', refresh_token: token }),
        });
      const ok = await refresh(first.refresh_token);
      assert.equal(ok.status, 200);
      assert.equal(
        decodeJwtPayload(((await ok.json()) as { access_token: string }).access_token)!.username,
        'bob',
      );
      assert.equal((await refresh(first.access_token)).status, 400);
    });

    it('/oauth/userinfo answers for a JWT, not for a raw kube token or nothing', async () => {
      const res = await as('alice', '/oauth/userinfo');
      assert.equal(res.status, 200);
      const info = (await res.json()) as Record<string, unknown>;
      assert.equal(info.sub, 'alice');
      assert.equal(info.preferred_username, 'alice');
      const raw = await fetch(`${shim.url}/oauth/userinfo`, {
        headers: { authorization: `Bearer ${sandboxUser('alice').token}` },
      });
      assert.equal(raw.status, 401);
      assert.equal((await fetch(`${shim.url}/oauth/userinfo`)).status, 401);
    });
  });

  describe('/kapis of our API groups', () => {
    it('no or an invalid token: 401 before the backend', async () => {
      const before = backend.seen.length;
      const none = await as(undefined, QUOTAS('beta-research'));
      assert.equal(none.status, 401);
      assert.equal(((await none.json()) as { reason: string }).reason, 'Unauthorized');
      const raw = await fetch(`${shim.url}${QUOTAS('beta-research')}`, {
        headers: { authorization: `Bearer ${sandboxUser('bob').token}`, 'x-remote-user': 'bob' },
      });
      assert.equal(raw.status, 401);
      assert.equal(backend.seen.length, before);
    });

    it('a project member of another project gets 403 and the backend never sees the request', async () => {
      const before = backend.seen.length;
      const res = await as('alice', `${QUOTAS('beta-research')}?limit=5`);
      assert.equal(res.status, 403);
      const body = (await res.json()) as { kind: string; reason: string; code: number; message: string };
      assert.equal(body.kind, 'Status');
      assert.equal(body.reason, 'Forbidden');
      assert.equal(body.code, 403);
      assert.match(
        body.message,
        /User "alice" cannot list resource "gpuquotas" in API group "gpu-quota\.ks-gpu-ml\.io" in the namespace "beta-research"/,
      );
      assert.equal(backend.seen.length, before);
    });

    it('an allowed user reaches the backend with the original path, its own Authorization and the shim identity', async () => {
      const res = await as('bob', `${QUOTAS('beta-research')}?limit=5&name=a%20b`, {
        headers: {
          'x-remote-user': 'admin',
          'x-remote-group': 'system:masters',
          'x-remote-extra-scopes': 'everything',
          'impersonate-user': 'admin',
          'accept-language': 'zh',
        },
      });
      assert.equal(res.status, 200);
      const seen = backend.seen.at(-1)!;
      assert.equal(seen.method, 'GET');
      assert.equal(seen.url, `${QUOTAS('beta-research')}?limit=5&name=a%20b`);
      assert.equal(seen.headers['x-remote-user'], 'bob');
      assert.equal(seen.headers['x-remote-group'], 'system:authenticated');
      assert.equal(seen.headers.authorization, `Bearer ${tokens.bob}`);
      assert.equal(seen.headers['x-remote-extra-scopes'], undefined);
      assert.equal(seen.headers['impersonate-user'], undefined);
      assert.equal(seen.headers['accept-language'], 'zh');
    });

    it('writes are authorized with their own verb and bodies are streamed through', async () => {
      const res = await as('bob', `${QUOTAS('beta-research')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      assert.equal(res.status, 200);
      assert.equal(backend.seen.at(-1)!.method, 'POST');
      const viewer = await as('viewer', `${QUOTAS('alpha-train')}`, { method: 'POST', body: '{}' });
      assert.equal(viewer.status, 403);
    });

    it('/clusters/host/kapis/... is served with the prefix removed; other clusters are 404', async () => {
      const res = await as('bob', `/clusters/host${QUOTAS('beta-research')}`);
      assert.equal(res.status, 200);
      assert.equal(backend.seen.at(-1)!.url, QUOTAS('beta-research'));
      assert.equal((await as('bob', `/clusters/member1${QUOTAS('beta-research')}`)).status, 404);
    });

    it('workspace scope: workspaces/<resource> named after the workspace', async () => {
      const path = (ws: string) => `/kapis/${G}/v1alpha1/workspaces/${ws}/gpuquotas`;
      assert.equal((await as('ws-admin', path('ws-alpha'))).status, 200);
      assert.equal(backend.seen.at(-1)!.headers['x-remote-user'], 'ws-admin');
      assert.equal((await as('ws-admin', path('ws-beta'))).status, 403);
      assert.equal((await as('alice', path('ws-alpha'))).status, 403);
      assert.equal((await as('admin', path('ws-beta'))).status, 200);
    });

    it('a backend that is down gives 503', async () => {
      const down = await startKsShim({
        kubeconfig: env.KUBECONFIG,
        users: env.SANDBOX_USERS,
        backendUrl: `http://127.0.0.1:${await freePort()}`,
        log: () => undefined,
      });
      try {
        const token = (
          (await (
            await fetch(`${down.url}/oauth/token`, {
              method: 'POST',
              body: form({ grant_type: 'password', username: 'bob', password: sandboxUser('bob').password }),
            })
          ).json()) as { access_token: string }
        ).access_token;
        const res = await fetch(`${down.url}${QUOTAS('beta-research')}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(res.status, 503);
        assert.equal(((await res.json()) as { reason: string }).reason, 'ServiceUnavailable');
      } finally {
        await down.close();
      }
    });
  });

  describe('/api and /apis on behalf of the user', () => {
    it('kube-apiserver applies the user RBAC through impersonation', async () => {
      const alice = await as('alice', '/api/v1/namespaces/beta-research/pods');
      assert.equal(alice.status, 403);
      assert.match(
        ((await alice.json()) as { message: string }).message,
        /User "alice" cannot list resource "pods"/,
      );
      const bob = await as('bob', '/api/v1/namespaces/beta-research/pods');
      assert.equal(bob.status, 200);
      assert.equal(((await bob.json()) as { kind: string }).kind, 'PodList');
      assert.equal((await as('bob', '/clusters/host/api/v1/namespaces/beta-research/pods')).status, 200);
      assert.equal((await as(undefined, '/api/v1/namespaces/beta-research/pods')).status, 401);
    });

    it('forged impersonation headers from the caller are ignored', async () => {
      const res = await as('alice', '/api/v1/namespaces/beta-research/pods', {
        headers: { 'impersonate-user': 'admin', 'impersonate-group': 'system:masters' },
      });
      assert.equal(res.status, 403);
    });

    it('watches stream', async () => {
      const controller = new AbortController();
      const res = await as('bob', '/api/v1/namespaces/beta-research/configmaps?watch=true', {
        signal: controller.signal,
      });
      assert.equal(res.status, 200);
      const reader = res.body!.getReader();
      const first = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('no watch event within 10s')), 10_000),
        ),
      ]);
      assert.match(Buffer.from(first.value!).toString(), /"type":"ADDED"/);
      controller.abort();
    });
  });

  describe('platform endpoints for the console', () => {
    it('versions, configz, the user and the host cluster', async () => {
      const version = (await (await as('admin', '/kapis/version')).json()) as {
        gitVersion: string;
        kubernetes: { gitVersion: string };
      };
      assert.match(version.gitVersion, /^v4\./);
      assert.match(version.kubernetes.gitVersion, /^v1\./);
      const configz = (await (
        await as('admin', '/kapis/config.kubesphere.io/v1alpha2/configs/configz')
      ).json()) as { multicluster: { clusterRole: string } };
      assert.equal(configz.multicluster.clusterRole, 'host');
      const user = (await (await as('admin', '/kapis/iam.kubesphere.io/v1beta1/users/admin')).json()) as {
        metadata: { annotations: Record<string, string> };
      };
      assert.equal(user.metadata.annotations['iam.kubesphere.io/globalrole'], 'platform-admin');
      const alice = (await (await as('alice', '/kapis/iam.kubesphere.io/v1beta1/users/alice')).json()) as {
        metadata: { annotations: Record<string, string> };
      };
      assert.equal(alice.metadata.annotations['iam.kubesphere.io/globalrole'], 'platform-regular');
      const cluster = (await (
        await as('alice', '/clusters/host/kapis/resources.kubesphere.io/v1alpha3/clusters/host')
      ).json()) as {
        metadata: { name: string };
        status: { conditions: { type: string; status: string }[]; nodeCount: number };
      };
      assert.equal(cluster.metadata.name, 'host');
      assert.ok(cluster.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'));
      const clusters = (await (await as('admin', '/kapis/tenant.kubesphere.io/v1beta1/clusters')).json()) as {
        items: unknown[];
      };
      assert.equal(clusters.items.length, 1);
    });

    it('workspaces and their namespaces, filtered by membership', async () => {
      const names = async (user: string, path: string) =>
        ((await (await as(user, path)).json()) as { items: { metadata: { name: string } }[] }).items
          .map((i) => i.metadata.name)
          .sort();
      const wt = '/kapis/tenant.kubesphere.io/v1beta1/workspacetemplates?limit=10';
      assert.ok((await names('admin', wt)).includes('ws-alpha'));
      assert.ok((await names('admin', wt)).includes('ws-beta'));
      assert.deepEqual(await names('alice', wt), ['ws-alpha']);
      assert.deepEqual(await names('bob', '/kapis/tenant.kubesphere.io/v1beta1/workspaces'), ['ws-beta']);
      // Other suites create their own projects in ws-alpha of the shared sandbox while this runs, so the
      // workspace admin's list is checked for the seeded projects and against ws-beta's, not for equality.
      const alpha = await names(
        'ws-admin',
        '/kapis/tenant.kubesphere.io/v1beta1/workspaces/ws-alpha/namespaces',
      );
      assert.ok(alpha.includes('alpha-serve') && alpha.includes('alpha-train'), alpha.join());
      const beta = await kube.get<{ items: { metadata: { name: string } }[] }>(
        `/api/v1/namespaces?labelSelector=${encodeURIComponent('kubesphere.io/workspace=ws-beta')}`,
      );
      assert.ok(beta?.items.length, 'the sandbox seeds projects in ws-beta');
      for (const ns of beta.items) assert.ok(!alpha.includes(ns.metadata.name), ns.metadata.name);
      assert.deepEqual(
        await names('alice', '/kapis/tenant.kubesphere.io/v1beta1/workspaces/ws-alpha/namespaces'),
        ['alpha-train'],
      );
    });

    it('role templates per user and scope', async () => {
      const rt = async (user: string, query: string) =>
        (
          (await (
            await as(user, `/kapis/iam.kubesphere.io/v1beta1/users/${user}/roletemplates?${query}`)
          ).json()) as { items: { metadata: { name: string } }[] }
        ).items.map((i) => i.metadata.name);
      assert.ok((await rt('admin', 'scope=global')).includes('global-view-clusters'));
      assert.deepEqual(await rt('alice', 'scope=global'), []);
      assert.ok((await rt('admin', 'scope=cluster&cluster=host')).includes('cluster-view-nodes'));
      assert.ok(
        (await rt('alice', 'scope=namespace&namespace=alpha-train')).includes(
          'namespace-manage-app-workloads',
        ),
      );
      assert.deepEqual(await rt('alice', 'scope=namespace&namespace=beta-research'), []);
      assert.ok(
        (await rt('ws-admin', 'scope=workspace&workspace=ws-alpha')).includes('workspace-manage-projects'),
      );
      assert.equal(
        (await as('alice', '/kapis/iam.kubesphere.io/v1beta1/users/bob/roletemplates?scope=global')).status,
        403,
      );
    });

    it('KubeSphere SubjectAccessReview for the caller itself', async () => {
      const review = (user: string, subject: string, namespace: string) =>
        as(user, '/kapis/iam.kubesphere.io/v1beta1/subjectaccessreviews', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            apiVersion: 'iam.kubesphere.io/v1beta1',
            kind: 'SubjectAccessReview',
            spec: {
              user: subject,
              resourceAttributes: {
                namespace,
                verb: 'list',
                group: G,
                version: 'v1alpha1',
                resource: 'gpuquotas',
              },
            },
          }),
        });
      const allowed = (await (await review('bob', 'bob', 'beta-research')).json()) as {
        status: { allowed: boolean };
      };
      assert.equal(allowed.status.allowed, true);
      const denied = (await (await review('alice', 'alice', 'beta-research')).json()) as {
        status: { allowed: boolean };
      };
      assert.equal(denied.status.allowed, false);
      assert.equal((await review('alice', 'bob', 'beta-research')).status, 403);
    });

    it('what the BFF reads at page render answers without errors; gpu kinds are 404 as upstream', async () => {
      for (const path of [
        '/version',
        '/kapis/config.kubesphere.io/v1alpha2/configs/theme',
        '/kapis/config.kubesphere.io/v1alpha2/configs/oauth',
      ]) {
        assert.equal((await as(undefined, path)).status, 200, path);
      }
      for (const path of [
        '/apis/kubesphere.io/v1alpha1/extensions',
        '/apis/extensions.kubesphere.io/v1alpha1/extensionentries',
        '/apis/installer.kubesphere.io/v1alpha1/clusterconfigurations?name=ks-installer',
        '/kapis/iam.kubesphere.io/v1beta1/users?sortBy=createTime&limit=10',
        '/kapis/iam.kubesphere.io/v1beta1/globalroles?annotation=kubesphere.io/creator',
        '/kapis/tenant.kubesphere.io/v1beta1/metrics',
        '/kapis/config.kubesphere.io/v1alpha2/configs/marketplace',
        '/api/v1/nodes',
      ]) {
        assert.equal((await as('admin', path)).status, 200, path);
      }
      assert.equal((await as('admin', '/kapis/config.kubesphere.io/v1alpha2/configs/gpu/kinds')).status, 404);
    });

    it('serves /dist/<ext>/<file> from the dist dir and lists it as a JSBundle', async () => {
      const res = await as(undefined, '/dist/gpu-demo/index.js');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/javascript');
      assert.match(await res.text(), /System\.register/);
      assert.equal((await as(undefined, '/dist/gpu-demo/missing.js')).status, 404);
      assert.equal((await as(undefined, '/dist/..%2F..%2Fetc%2Fpasswd')).status, 404);
      const bundles = (await (
        await as('alice', '/apis/extensions.kubesphere.io/v1alpha1/jsbundles')
      ).json()) as {
        items: { metadata: { labels: Record<string, string> }; status: { link: string; state: string } }[];
      };
      const demo = bundles.items.find((b) => b.metadata.labels['kubesphere.io/extension-ref'] === 'gpu-demo');
      assert.equal(demo?.status.link, '/dist/gpu-demo/index.js');
      assert.equal(demo?.status.state, 'Available');
    });
  });

  it('logs one line per request with the user and never a token', () => {
    assert.ok(logLines.some((l) => /^403 GET \/kapis\/gpu-quota\.ks-gpu-ml\.io\/\S+ alice$/.test(l)));
    assert.ok(logLines.some((l) => /^200 POST \/oauth\/token bob$/.test(l)));
    const secrets = [
      ...Object.values(tokens),
      ...['admin', 'alice', 'bob'].map((n) => sandboxUser(n).token),
      sandboxUser('alice').password,
    ];
    for (const line of logLines)
      for (const secret of secrets) assert.ok(!line.includes(secret), `log line leaks a secret: ${line}`);
  });
});
