// Installs the packages for real into the sandbox's kube-apiserver as KubeSphere does (the host release with
// tags.extension, the agent release `<name>-agent` with tags.agent, in the extension's namespace): every object is
// accepted and stored as written (nothing pruned by a CRD schema), an upgrade keeps the TLS identity the
// APIService pins, and uninstalling one extension leaves the other's objects in place.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { ACK_LINK_PATH, ALERTMANAGER_WEBHOOK_PATH } from '@ks-gpu-ml/contracts';
import { createAlertIntakeStore } from '../../backend/src/clients/store/alert-intake.js';
import { createStore } from '../../backend/src/clients/store/index.js';
import { alertFixture, batchFixture } from '../../backend/src/features/cmdb-alerting/test-fixtures.js';
import { parseAllDocuments } from 'yaml';
import { startKsShim } from '../sandbox/ks-shim/server.js';
import { installCrds } from '../sandbox/src/crds.js';
import { readSandboxEnv, sandboxUser } from '../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace } from '../sandbox/src/testing.js';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChartBackend, type ChartBackend } from './chart-backend.js';
import { chartDir, helm, setArgs, type Manifest } from './helm.js';

/** A subset of the packages, in an order of no significance (ml-apps, which reads the others' figures, first). */
const INSTALLED = ['ml-apps', 'gpu-quota', 'gpu-monitoring'];
/** The version an upgrade starts from: the current chart packaged under an earlier number. */
const PREVIOUS_VERSION = '0.0.1';
const kc = adminKubeConfig();
const objects = KubernetesObjectApi.makeApiClient(kc);
const kubeconfig = () => ['--kubeconfig', readSandboxEnv().KUBECONFIG];

const releasesOf = (feature: string) => [
  { name: feature, tags: { 'tags.extension': 'true', 'tags.agent': 'false' } },
  { name: `${feature}-agent`, tags: { 'tags.extension': 'false', 'tags.agent': 'true' } },
];

async function read(m: Manifest): Promise<(KubernetesObject & Record<string, unknown>) | undefined> {
  try {
    const ref = { apiVersion: m.apiVersion, kind: m.kind, metadata: { name: m.metadata.name } };
    if (m.metadata.namespace) Object.assign(ref.metadata, { namespace: m.metadata.namespace });
    return wireNames(await objects.read(ref)) as KubernetesObject & Record<string, unknown>;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return undefined;
    throw err;
  }
}

/** What helm stored for a release, as manifests (namespaced ones carry their namespace). */
function releaseManifests(release: string, namespace: string): Manifest[] {
  const text = helm(['get', 'manifest', release, '--namespace', namespace, ...kubeconfig()]);
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

/**
 * The e2e fixture applies RoleTemplates of the same names to the shared sandbox; an install takes them over
 * (--take-ownership and --force-conflicts, as a real cluster has no such copies) and the test puts the fixture's
 * copies back after. Only those: an object Helm made (a run that was killed before its uninstall) is not put back,
 * or every later run would restore it (a JSBundle pointing at a ConfigMap long gone).
 */
async function existingClusterObjects(features: string[]): Promise<KubernetesObject[]> {
  const saved: KubernetesObject[] = [];
  for (const feature of features) {
    const text = helm(['template', feature, chartDir(feature), '--namespace', 'probe']);
    for (const doc of parseAllDocuments(text)) {
      const m = doc.toJS() as Manifest | null;
      if (!m || m.metadata.namespace) continue;
      const current = await read(m);
      if (current && current.metadata?.labels?.['app.kubernetes.io/managed-by'] !== 'Helm')
        saved.push(current);
    }
  }
  return saved;
}

/** Puts back cluster objects an install took over (see existingClusterObjects) that its uninstall removed. */
async function restore(saved: KubernetesObject[]): Promise<void> {
  for (const object of saved) {
    const { metadata, ...rest } = object as KubernetesObject & Record<string, unknown>;
    const body = {
      ...rest,
      metadata: { name: metadata!.name, labels: metadata!.labels, annotations: metadata!.annotations },
    };
    if (!(await read(body as Manifest))) await objects.create(body as KubernetesObject);
  }
}

/** An admin's KubeSphere token from a shim's /oauth/token. */
async function adminToken(shimUrl: string): Promise<string> {
  const login = await fetch(`${shimUrl}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: 'kubesphere',
      client_secret: 'kubesphere',
      grant_type: 'password',
      username: 'admin',
      password: sandboxUser('admin').password,
    }),
  });
  return ((await login.json()) as { access_token: string }).access_token;
}

/** GET through a shim as `token`: status and JSON body. */
async function getVia(shimUrl: string, token: string, path: string) {
  const res = await fetch(`${shimUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return {
    status: res.status,
    body: (text.startsWith('{') ? JSON.parse(text) : text) as Record<string, unknown>,
  };
}

const featuresPath = (feature: string) => `/kapis/${feature}.ks-gpu-ml.io/v1alpha1/features`;

describe('the packages installed into the sandbox', { timeout: 300_000 }, () => {
  /** A ks-apiserver stand-in routing each group to its installed APIService (cluster DNS: `addresses`). */
  const addresses: Record<string, string> = {};
  let apiShim: { url: string; close(): Promise<void> } | undefined;
  const chartBackends: ChartBackend[] = [];
  const volumes: string[] = [];
  const namespaces = new Map<string, { name: string; remove: () => Promise<void> }>();
  let saved: KubernetesObject[] = [];

  before(async () => {
    await installCrds(kc, ['kubesphere', 'monitoring', 'kubeflow', 'trainer']);
    saved = await existingClusterObjects(INSTALLED);
    for (const feature of INSTALLED)
      namespaces.set(feature, await createTestNamespace(`extension-${feature}`));
  });

  after(async () => {
    for (const { backend } of chartBackends) await backend.stop();
    await apiShim?.close();
    for (const dir of volumes) rmSync(dir, { recursive: true, force: true });
    for (const [feature, ns] of namespaces) {
      for (const { name } of releasesOf(feature)) {
        try {
          helm(['uninstall', name, '--namespace', ns.name, ...kubeconfig()]);
        } catch {
          // already uninstalled by the test
        }
      }
      await ns.remove();
    }
    await restore(saved);
  });

  it('installs each extension as its host and agent releases; every object is stored as rendered', async () => {
    for (const feature of INSTALLED) {
      const namespace = namespaces.get(feature)!.name;
      for (const release of releasesOf(feature)) {
        helm([
          'install',
          release.name,
          chartDir(feature),
          '--namespace',
          namespace,
          '--take-ownership',
          '--force-conflicts',
          ...setArgs(release.tags),
          ...kubeconfig(),
        ]);
        const manifests = releaseManifests(release.name, namespace);
        assert.ok(manifests.length > 0, release.name);
        for (const m of manifests) {
          const stored = await read({ ...m, metadata: { ...m.metadata, namespace: m.metadata.namespace } });
          assert.ok(stored, `${release.name}: ${m.kind} ${m.metadata.name} was not stored`);
          // A field the CRD does not know is pruned silently: compare what we sent with what was kept.
          for (const key of ['spec', 'rules', 'data', 'roleRef', 'subjects'] as const) {
            if (m[key] !== undefined && m.kind !== 'Secret')
              assert.deepEqual(pick(stored[key], m[key]), m[key], `${m.kind} ${m.metadata.name}: ${key}`);
          }
        }
      }
    }
  });

  it('the APIService keeps insecureSkipVerify: false and a caBundle of the served certificate', async () => {
    for (const feature of INSTALLED) {
      const api = await read({
        apiVersion: 'extensions.kubesphere.io/v1alpha1',
        kind: 'APIService',
        metadata: { name: `v1alpha1.${feature}.ks-gpu-ml.io` },
      });
      const spec = api?.spec as
        { insecureSkipVerify?: boolean; caBundle?: string; group?: string } | undefined;
      assert.equal(spec?.insecureSkipVerify, false);
      assert.equal(spec?.group, `${feature}.ks-gpu-ml.io`);
      assert.ok(spec?.caBundle);
    }
  });

  it('the ks-apiserver stand-in lists the installed JSBundles and serves each bundle from its ConfigMap', async () => {
    const env = readSandboxEnv();
    // No dist dir: whatever it serves comes from the cluster, i.e. from the installed package.
    const shim = await startKsShim({
      kubeconfig: env.KUBECONFIG,
      users: env.SANDBOX_USERS,
      backendUrl: 'http://127.0.0.1:9',
      log: () => {},
    });
    try {
      const token = await adminToken(shim.url);
      const list = (await (
        await fetch(`${shim.url}/apis/extensions.kubesphere.io/v1alpha1/jsbundles`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { items: { metadata: { name: string }; status: { link: string; state: string } }[] };
      for (const feature of INSTALLED) {
        const bundle = list.items.find((b) => b.metadata.name === feature);
        assert.equal(bundle?.status.state, 'Available', feature);
        const res = await fetch(`${shim.url}${bundle!.status.link}`);
        assert.equal(res.status, 200, bundle!.status.link);
        assert.equal(
          await res.text(),
          readFileSync(join(chartDir(feature), 'charts/frontend/bundle/index.js'), 'utf8'),
        );
      }
    } finally {
      await shim.close();
    }
  });

  it('an API call goes through the installed APIService to the backend started as its chart describes', async () => {
    const env = readSandboxEnv();
    apiShim = await startKsShim({
      kubeconfig: env.KUBECONFIG,
      users: env.SANDBOX_USERS,
      backendUrl: 'http://127.0.0.1:9',
      apiServices: { addresses },
      log: () => {},
    });
    for (const feature of INSTALLED) {
      const namespace = namespaces.get(feature)!.name;
      const manifests = releasesOf(feature).flatMap((r) => releaseManifests(r.name, namespace));
      const started = await startChartBackend(manifests, {
        ksApiserverUrl: apiShim.url,
        claimDir: (claim) => {
          assert.equal(claim, `${feature}-backend-data`, `${feature}'s only claim is its store's`);
          const dir = mkdtempSync(join(tmpdir(), `${feature}-volume-`));
          volumes.push(dir);
          return dir;
        },
      });
      chartBackends.push(started);
      addresses[started.serviceHost] = started.address;
    }
    const token = await adminToken(apiShim.url);
    for (const feature of INSTALLED) {
      // Each package answers its own group's platform routes (docs/adr/0026), over TLS its caBundle verifies.
      const res = await getVia(apiShim.url, token, featuresPath(feature));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        (res.body.items as { name: string }[]).map((f) => f.name),
        [feature],
      );
      assert.equal((res.body.platform as { group: string }).group, `${feature}.ks-gpu-ml.io`);
    }
    // ml-apps reads Kubeflow's objects as its ServiceAccount (the chart's ClusterRole), for an admin's request.
    const mlNamespace = namespaces.get('ml-apps')!.name;
    for (const resource of ['notebooks', 'trainjobs']) {
      const res = await getVia(
        apiShim.url,
        token,
        `/kapis/ml-apps.ks-gpu-ml.io/v1alpha1/namespaces/${mlNamespace}/${resource}`,
      );
      assert.equal(res.status, 200, `${resource}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.items, [], resource);
    }
    // No package claims the shared group: ks-apiserver has nowhere to send it.
    assert.equal((await getVia(apiShim.url, token, featuresPath('platform'))).status, 404);
  });

  it('an upgrade keeps the certificate authority the APIService pins', async () => {
    const feature = 'gpu-quota';
    const namespace = namespaces.get(feature)!.name;
    const secretRef = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${feature}-backend-tls`, namespace },
    };
    const before = (await read(secretRef)) as { data: Record<string, string> } | undefined;
    assert.ok(before?.data['ca.crt']);
    helm([
      'upgrade',
      `${feature}-agent`,
      chartDir(feature),
      '--namespace',
      namespace,
      '--force-conflicts',
      ...setArgs({ ...releasesOf(feature)[1]!.tags, 'backend.replicaCount': '2' }),
      ...kubeconfig(),
    ]);
    const afterUpgrade = (await read(secretRef)) as { data: Record<string, string> } | undefined;
    assert.equal(afterUpgrade?.data['ca.crt'], before.data['ca.crt']);
    assert.equal(afterUpgrade?.data['tls.key'], before.data['tls.key']);
  });

  it("uninstalling one extension removes its objects and leaves the others'", async () => {
    const [gone, ...kept] = INSTALLED as [string, ...string[]];
    const keptManifests = kept.flatMap((feature) =>
      releasesOf(feature).flatMap((r) => releaseManifests(r.name, namespaces.get(feature)!.name)),
    );
    const goneNamespace = namespaces.get(gone)!.name;
    const goneManifests = releasesOf(gone).flatMap((r) => releaseManifests(r.name, goneNamespace));
    for (const { name } of releasesOf(gone))
      helm(['uninstall', name, '--namespace', goneNamespace, ...kubeconfig()]);

    // Every object goes but the store's claim, which is kept on purpose (helm.sh/resource-policy: keep).
    for (const m of goneManifests) {
      const left = await read(m);
      if (m.kind === 'PersistentVolumeClaim') assert.ok(left, `the claim ${m.metadata.name} is kept`);
      else assert.equal(left, undefined, `${m.kind} ${m.metadata.name} is left`);
    }
    for (const m of keptManifests) assert.ok(await read(m), `${m.kind} ${m.metadata.name} is gone`);

    // Through ks-apiserver: the removed extension's group is gone, the others' APIs still answer.
    assert.ok(apiShim, 'the API test started the stand-in');
    const token = await adminToken(apiShim.url);
    assert.equal((await getVia(apiShim.url, token, featuresPath(gone))).status, 404);
    for (const feature of kept) {
      const answer = await getVia(apiShim.url, token, featuresPath(feature));
      assert.equal(answer.status, 200, `${feature}: ${JSON.stringify(answer.body)}`);
    }
  });
});

/** The chart packaged as an earlier version (`helm package --version`): what an operator upgrades from. */
function packagedAs(feature: string, version: string): string {
  const out = mkdtempSync(join(tmpdir(), 'ks-gpu-ml-previous-'));
  helm(['package', chartDir(feature), '--version', version, '--destination', out]);
  return join(out, `${feature}-${version}.tgz`);
}

/** POSTs JSON (or GETs, without a body) over HTTPS to the backend, verifying its certificate as the Service's DNS name with `ca`. */
function postTls(url: string, body: unknown, opts: { ca: string; servername: string; token?: string }) {
  return new Promise<number>((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        ca: opts.ca,
        servername: opts.servername,
        headers: {
          'content-type': 'application/json',
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('a HostOnly package with a store (cmdb-alerting)', { timeout: 120_000 }, () => {
  it("upgrading from the previous packaged version keeps the claim and the store's data; uninstalling leaves the claim", async () => {
    const ns = await createTestNamespace('extension-cmdb-alerting');
    const claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'cmdb-alerting-backend-data', namespace: ns.name },
    };
    const args = ['--namespace', ns.name, ...kubeconfig()];
    const saved = await existingClusterObjects(['cmdb-alerting']);
    // The intake's token, in the operator's Secret that the values name (the chart never creates it).
    const token = randomUUID();
    await kc.makeApiClient(CoreV1Api).createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: 'alertmanager-intake' }, stringData: { token } },
    });
    // The key that signs acknowledgement links, and a receiver's credential, in Secrets the operator made.
    await kc.makeApiClient(CoreV1Api).createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: 'ack-signing' }, stringData: { key: randomUUID() + randomUUID() } },
    });
    const values = [
      '--set',
      'backend.secretFiles.ALERT_INTAKE_TOKEN_FILE.existingSecret=alertmanager-intake',
      '--set',
      'backend.secretFiles.ALERT_ACK_KEY_FILE.existingSecret=ack-signing',
    ];
    // The claim's volume: one folder, for the one claim that outlives the pods.
    const volume = mkdtempSync(join(tmpdir(), 'cmdb-alerting-volume-'));
    const claimDir = (name: string) => {
      assert.equal(name, claim.metadata.name);
      return volume;
    };
    const ksApiserverUrl = 'http://127.0.0.1:9'; // the intake asks nothing of ks-apiserver
    const batch = batchFixture([alertFixture(1)]);
    let running: ChartBackend | undefined;
    const tlsOf = async (started: ChartBackend) => {
      const tls = (await read({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'cmdb-alerting-backend-tls', namespace: ns.name },
      })) as { data: Record<string, string> };
      return {
        ca: Buffer.from(tls.data['ca.crt']!, 'base64').toString(),
        servername: started.serviceHost.split(':')[0]!,
      };
    };
    const postBatch = async (started: ChartBackend) =>
      postTls(`${started.backend.url}${ALERTMANAGER_WEBHOOK_PATH}`, batch, {
        ...(await tlsOf(started)),
        token,
      });
    const storedAlerts = async () => {
      const store = createStore(`sqlite:${join(volume, 'backend.sqlite')}`);
      try {
        return await createAlertIntakeStore(store).countAlerts();
      } finally {
        await store.close();
      }
    };
    try {
      helm([
        'install',
        'cmdb-alerting',
        packagedAs('cmdb-alerting', PREVIOUS_VERSION),
        ...args,
        ...values,
        '--take-ownership',
        '--force-conflicts',
      ]);
      const first = await read(claim);
      assert.ok(first, 'the store claim is created');
      running = await startChartBackend(releaseManifests('cmdb-alerting', ns.name), {
        ksApiserverUrl,
        claimDir,
      });
      assert.equal(await postBatch(running), 200);
      await running.backend.stop();
      assert.equal(await storedAlerts(), 1);

      helm(['upgrade', 'cmdb-alerting', chartDir('cmdb-alerting'), ...args, ...values]);
      const [release] = JSON.parse(helm(['list', '--output', 'json', ...args])) as { chart: string }[];
      assert.notEqual(release?.chart, `cmdb-alerting-${PREVIOUS_VERSION}`, 'upgraded to the current package');
      assert.equal((await read(claim))?.metadata?.uid, first.metadata?.uid, 'same claim after an upgrade');
      running = await startChartBackend(releaseManifests('cmdb-alerting', ns.name), {
        ksApiserverUrl,
        claimDir,
      });
      // The upgraded backend (its migrations run at start) still holds the alert: the same one again is a duplicate.
      assert.equal(await postBatch(running), 200);
      assert.equal(await storedAlerts(), 1);
      // It signs ack links with the operator's key (without one the route answers 503): an unsigned link is forged.
      assert.equal(
        await postTls(`${running.backend.url}${ACK_LINK_PATH}?t=a.b`, undefined, await tlsOf(running)),
        400,
      );
      await running.backend.stop();

      // Every object of the upgraded release is stored, the PrometheusRule and the Secret-reading Role included.
      const upgraded = releaseManifests('cmdb-alerting', ns.name);
      for (const kind of ['PrometheusRule', 'Role', 'NetworkPolicy', 'PersistentVolumeClaim'])
        assert.ok(
          upgraded.some((m) => m.kind === kind),
          `the release has a ${kind}`,
        );
      for (const m of upgraded) assert.ok(await read(m), `${m.kind} ${m.metadata.name} was not stored`);
      // The backend's identity, as the apiserver's RBAC decides: receivers' Secrets by name in its own namespace
      // only, never listed; the namespaces watched for workspace membership.
      const serviceAccount = `system:serviceaccount:${ns.name}:cmdb-alerting-backend`;
      const may = async (verb: string, resource: string, namespace?: string) =>
        (
          await kc.makeApiClient(AuthorizationV1Api).createSubjectAccessReview({
            body: { spec: { user: serviceAccount, resourceAttributes: { verb, resource, namespace } } },
          })
        ).status?.allowed === true;
      assert.equal(await may('get', 'secrets', ns.name), true, 'get a Secret in its namespace');
      assert.equal(await may('list', 'secrets', ns.name), false, 'list Secrets');
      assert.equal(await may('get', 'secrets', 'kube-system'), false, 'get a Secret elsewhere');
      assert.equal(await may('watch', 'namespaces'), true, 'watch namespaces');
      assert.equal(await may('create', 'pods', ns.name), false, 'create pods');

      helm(['uninstall', 'cmdb-alerting', ...args]);
      assert.equal((await read(claim))?.metadata?.uid, first.metadata?.uid, 'kept after uninstall');
    } finally {
      await running?.backend.stop();
      await ns.remove();
      await restore(saved);
      rmSync(volume, { recursive: true, force: true });
    }
  });
});

/** client-node's models rename fields that are reserved words (NetworkPolicy's `from` is `_from`): undo that. */
function wireNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wireNames);
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.startsWith('_') ? k.slice(1) : k, wireNames(v)]),
    );
  return value;
}

/** The part of `stored` that `sent` names (the API server adds defaults; those are not ours to compare). */
function pick(stored: unknown, sent: unknown): unknown {
  if (Array.isArray(sent) && Array.isArray(stored)) return sent.map((s, i) => pick(stored[i], s));
  if (sent && typeof sent === 'object' && stored && typeof stored === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(sent)) {
      if (key in stored)
        out[key] = pick((stored as Record<string, unknown>)[key], (sent as Record<string, unknown>)[key]);
    }
    return out;
  }
  return stored;
}
