// Every extension package, assembled as `npm run package` ships it: helm lint passes, helm template renders with
// the default values and with an operator's values, every pod honours KubeSphere's global.imageRegistry and
// global.nodeSelector (what `ksbuilder lint` checks), the backend is hardened, and permissions.yaml lets
// KubeSphere's helm executor create every kind the chart renders.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigSchema } from '../../backend/src/core/config.js';
import { readExtension } from '../../tools/charts/extension.js';
import { installPlanManifest } from '../../tools/charts/package.js';
import { chartDir, features, helm, render, setArgs, type Manifest } from './helm.js';

/** Random, as ksbuilder lint does, so a chart cannot pass by hard-coding a registry or a selector. */
const REGISTRY = `registry-${Math.random().toString(36).slice(2, 8)}.example.com`;
const NODE_KEY = `pool-${Math.random().toString(36).slice(2, 8)}`;
const CUSTOM = {
  'global.imageRegistry': REGISTRY,
  [`global.nodeSelector.${NODE_KEY}`]: 'gpu-infra',
  'global.imagePullSecrets[0]': 'registry-cred',
  'backend.tolerations[0].key': 'dedicated',
  'backend.tolerations[0].operator': 'Exists',
  'backend.resources.limits.memory': '1Gi',
  'backend.imagePullSecrets[0]': 'backend-cred',
};

const POD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet', 'Pod', 'CronJob']);

interface Container {
  name: string;
  image: string;
  securityContext?: Record<string, unknown>;
  resources?: { limits?: Record<string, string> };
  env?: { name: string; value?: string }[];
  livenessProbe?: { httpGet?: { path: string; scheme?: string } };
  readinessProbe?: { httpGet?: { path: string; scheme?: string } };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  nodeSelector?: Record<string, string>;
  tolerations?: { key: string }[];
  imagePullSecrets?: { name: string }[];
  securityContext?: Record<string, unknown>;
}

function podSpec(m: Manifest): PodSpec {
  const spec = m.spec as Record<string, unknown>;
  if (m.kind === 'Pod') return spec as unknown as PodSpec;
  if (m.kind === 'CronJob')
    return (spec.jobTemplate as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
  return (spec.template as { spec: PodSpec }).spec;
}

const pods = (manifests: Manifest[]) => manifests.filter((m) => POD_KINDS.has(m.kind));
const one = (manifests: Manifest[], kind: string) => {
  const found = manifests.filter((m) => m.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0]!;
};

/** Kubernetes' resource name of a kind (the kinds charts render). */
const resourceOf = (kind: string) => {
  const lower = kind.toLowerCase();
  return lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
};

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
const allows = (rules: Rule[], group: string, resource: string, verb: string) =>
  rules.some(
    (r) =>
      r.apiGroups.some((g) => g === group || g === '*') &&
      r.resources.some((x) => x === resource || x === '*') &&
      r.verbs.some((v) => v === verb || v === '*'),
  );

for (const feature of features()) {
  describe(`${feature} chart`, () => {
    it('passes helm lint --strict as the host release and as an agent release', () => {
      helm(['lint', '--strict', chartDir(feature)]);
      helm([
        'lint',
        '--strict',
        chartDir(feature),
        ...setArgs({ 'tags.extension': 'false', 'tags.agent': 'true' }),
      ]);
      helm([
        'lint',
        '--strict',
        chartDir(feature),
        ...setArgs({ 'tags.extension': 'true', 'tags.agent': 'false' }),
      ]);
    });

    it("Chart.yaml is generated from extension.yaml (name, version, the subcharts' tags)", () => {
      const meta = readExtension(join(chartDir(feature)));
      const chart = parse(readFileSync(join(chartDir(feature), 'Chart.yaml'), 'utf8')) as Record<
        string,
        unknown
      >;
      assert.equal(chart.name, feature);
      assert.equal(chart.version, meta.version);
      assert.equal(chart.description, meta.description.en);
      assert.deepEqual(chart.dependencies, meta.dependencies);
      assert.match(String(chart.icon), /^data:image\//);
    });

    it('renders with the default values: pods use the chart registry and are hardened', () => {
      const manifests = render(feature);
      assert.ok(manifests.length > 0);
      for (const m of pods(manifests)) {
        const spec = podSpec(m);
        assert.equal(spec.securityContext?.runAsNonRoot, true, m.metadata.name);
        assert.deepEqual(spec.securityContext?.seccompProfile, { type: 'RuntimeDefault' });
        for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
          assert.match(c.image, /^docker\.io\//, `${m.metadata.name}/${c.name}`);
          assert.equal(c.securityContext?.readOnlyRootFilesystem, true);
          assert.equal(c.securityContext?.allowPrivilegeEscalation, false);
          assert.deepEqual(c.securityContext?.capabilities, { drop: ['ALL'] });
          assert.ok(c.resources?.limits?.memory, 'a memory limit');
        }
      }
    });

    it('every pod template honours global.imageRegistry and global.nodeSelector, with the operator values', () => {
      for (const tags of [{}, { 'tags.agent': 'true', 'tags.extension': 'false' }] as Record<
        string,
        string
      >[]) {
        const manifests = render(feature, { ...CUSTOM, ...tags });
        for (const m of pods(manifests)) {
          const spec = podSpec(m);
          for (const c of [...spec.containers, ...(spec.initContainers ?? [])])
            assert.ok(c.image.startsWith(`${REGISTRY}/`), `${m.kind} ${m.metadata.name}: ${c.image}`);
          assert.equal(spec.nodeSelector?.[NODE_KEY], 'gpu-infra', `${m.kind} ${m.metadata.name}`);
          assert.deepEqual(
            spec.imagePullSecrets?.map((s) => s.name),
            ['registry-cred', 'backend-cred'],
          );
          assert.deepEqual(
            spec.tolerations?.map((t) => t.key),
            ['dedicated'],
          );
          assert.equal(spec.containers[0]!.resources?.limits?.memory, '1Gi');
        }
      }
    });

    it('the host release renders the console bundle, an agent release the backend only', () => {
      const host = render(feature, { 'tags.extension': 'true', 'tags.agent': 'false' });
      const agent = render(feature, { 'tags.extension': 'false', 'tags.agent': 'true' });
      const meta = readExtension(chartDir(feature));
      const backendTag = meta.dependencies?.find((d) => d.name === 'backend')?.tags[0];
      const hostOnly = meta.installationMode !== 'Multicluster';
      assert.equal(backendTag, hostOnly ? 'extension' : 'agent');
      const bundle = one(host, 'JSBundle');
      assert.equal(agent.filter((m) => m.kind === 'JSBundle').length, 0);
      const cm = one(host, 'ConfigMap');
      const ref = (bundle.spec as { rawFrom: { configMapKeyRef: Record<string, string> } }).rawFrom
        .configMapKeyRef;
      assert.equal(ref.name, cm.metadata.name);
      assert.equal(ref.namespace, 'extension-test');
      const script = (cm as unknown as { data: Record<string, string> }).data[ref.key!];
      assert.equal(script, readFileSync(join(chartDir(feature), 'charts/frontend/bundle/index.js'), 'utf8'));
      // A dependency's condition would override its tags in Helm (the backend would run in both releases).
      assert.deepEqual(
        (meta.dependencies ?? []).filter((d) => d.condition !== undefined).map((d) => d.name),
        [],
        'no subchart has a condition',
      );
      one(hostOnly ? host : agent, 'Deployment');
      if (!hostOnly) assert.equal(host.filter((m) => m.kind === 'Deployment').length, 0);
    });

    it('the backend serves its feature over TLS that its APIService verifies, checked by ks-apiserver', () => {
      const manifests = render(feature);
      const deployment = one(manifests, 'Deployment');
      const container = podSpec(deployment).containers[0]!;
      const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
      assert.equal(env.FEATURES, feature);
      assert.equal(env.AUTH_MODE, 'kubesphere');
      assert.equal(env.KS_APISERVER_URL, 'http://ks-apiserver.kubesphere-system.svc:80');
      assert.ok(env.TLS_CERT_FILE && env.TLS_KEY_FILE);
      assert.equal(env.PLAIN_HTTP, undefined);
      assert.deepEqual(container.livenessProbe?.httpGet, {
        path: '/healthz',
        port: 'https',
        scheme: 'HTTPS',
      });
      assert.deepEqual(container.readinessProbe?.httpGet, {
        path: '/readyz',
        port: 'https',
        scheme: 'HTTPS',
      });

      const api = one(manifests, 'APIService');
      const spec = api.spec as Record<string, unknown>;
      assert.equal(api.apiVersion, 'extensions.kubesphere.io/v1alpha1');
      assert.equal(spec.group, `${feature}.ks-gpu-ml.io`);
      assert.equal(spec.insecureSkipVerify, false);
      assert.ok(!('insecureSkipTLSVerify' in spec));
      const secret = one(manifests, 'Secret') as Manifest & { data: Record<string, string> };
      // KubeSphere decodes caBundle once more than the API server: base64 twice.
      const ca = Buffer.from(Buffer.from(String(spec.caBundle), 'base64').toString(), 'base64').toString();
      assert.match(ca, /^-----BEGIN CERTIFICATE-----/);
      assert.equal(ca, Buffer.from(secret.data['ca.crt']!, 'base64').toString());
    });

    it('permissions.yaml lets the helm executor create every kind the chart renders', () => {
      const docs = parseAllDocuments(readFileSync(join(chartDir(feature), 'permissions.yaml'), 'utf8')).map(
        (d) => d.toJS() as { kind: string; rules: Rule[] },
      );
      const clusterRules = docs.filter((d) => d.kind === 'ClusterRole').flatMap((d) => d.rules);
      const roleRules = docs.filter((d) => d.kind === 'Role').flatMap((d) => d.rules);
      const manifests = render(feature, {
        'store.persistence.enabled': 'true',
        'backend.store.persistence.enabled': 'true',
      });
      for (const m of manifests) {
        const group = m.apiVersion.includes('/') ? m.apiVersion.split('/')[0]! : '';
        const rules = m.metadata.namespace ? [...roleRules, ...clusterRules] : clusterRules;
        for (const verb of ['create', 'update', 'delete'])
          assert.ok(allows(rules, group, resourceOf(m.kind), verb), `${verb} ${m.kind} (${group || 'core'})`);
        if (['ClusterRole', 'Role'].includes(m.kind))
          assert.ok(allows(rules, group, resourceOf(m.kind), 'escalate'), `escalate ${m.kind}`);
        if (['ClusterRoleBinding', 'RoleBinding'].includes(m.kind))
          assert.ok(
            allows(rules, group, resourceOf(m.kind.replace('Binding', '')), 'bind'),
            `bind for ${m.kind}`,
          );
      }
    });

    it('packages into a Helm repository KubeSphere reads: index entry = extension name and version', () => {
      const out = mkdtempSync(join(tmpdir(), 'ks-gpu-ml-repo-'));
      try {
        helm(['package', chartDir(feature), '--destination', out]);
        helm(['repo', 'index', out, '--url', 'https://charts.example.com/ks-gpu-ml']);
        const index = parse(readFileSync(join(out, 'index.yaml'), 'utf8')) as {
          apiVersion: string;
          entries: Record<string, { name: string; version: string; urls: string[] }[]>;
        };
        const meta = readExtension(chartDir(feature));
        assert.equal(index.apiVersion, 'v1');
        const [entry] = index.entries[feature] ?? [];
        assert.equal(entry?.name, feature);
        assert.equal(entry?.version, meta.version);
        assert.deepEqual(entry?.urls, [
          `https://charts.example.com/ks-gpu-ml/${feature}-${meta.version}.tgz`,
        ]);
        const plan = installPlanManifest(meta);
        assert.deepEqual(plan.spec.extension, { name: feature, version: meta.version });
        assert.equal('clusterScheduling' in plan.spec, meta.installationMode === 'Multicluster');
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });

    it("the backend's watch caches get the backend's own default budget; an operator's value replaces it", () => {
      const budgets = (values: Record<string, string> = {}) =>
        pods(render(feature, { 'tags.extension': 'true', 'tags.agent': 'true', ...values }))
          .flatMap((m) => podSpec(m).containers)
          .flatMap((c) => c.env ?? [])
          .filter((e) => e.name === 'KUBE_WATCH_CACHE_MAX_BYTES')
          .map((e) => e.value);
      assert.deepEqual(budgets(), [String(ConfigSchema.properties.KUBE_WATCH_CACHE_MAX_BYTES.default)]);
      assert.deepEqual(budgets({ 'backend.settings.KUBE_WATCH_CACHE_MAX_BYTES': '134217728' }), [
        '134217728',
      ]);
    });

    it("the root values.yaml shows the backend subchart's own defaults for what operators change most", () => {
      const rootValues = parse(readFileSync(join(chartDir(feature), 'values.yaml'), 'utf8')) as {
        backend?: Record<string, unknown>;
      };
      const backendValues = parse(
        readFileSync(join(chartDir(feature), 'charts/backend/values.yaml'), 'utf8'),
      ) as Record<string, unknown>;
      for (const [key, value] of Object.entries(rootValues.backend ?? {}))
        assert.deepEqual(value, backendValues[key], `backend.${key}`);
    });
  });
}

describe("backend/README.md's APIService example", () => {
  it('is what the gpu-quota chart installs (apiVersion, fields, names), caBundle aside', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../backend/README.md'), 'utf8');
    // The indented block that holds `kind: APIService`.
    const block = /\n((?: {4}.*\n)*? {4}kind: APIService\n(?: {4}.*\n)*)/.exec(readme)?.[1];
    assert.ok(block, 'an indented APIService example');
    const example = parse(block.replace(/^ {4}/gm, '')) as Manifest & { spec: Record<string, unknown> };
    const installed = one(render('gpu-quota', {}, 'extension-gpu-quota'), 'APIService') as Manifest & {
      spec: Record<string, unknown>;
    };
    const withoutCa = ({ caBundle: _ca, ...spec }: Record<string, unknown>) => spec;
    assert.equal(example.apiVersion, installed.apiVersion);
    assert.equal(example.kind, installed.kind);
    assert.equal(example.metadata.name, installed.metadata.name);
    assert.deepEqual(withoutCa(example.spec), withoutCa(installed.spec));
    assert.deepEqual(Object.keys(example.spec).sort(), Object.keys(installed.spec).sort());
    assert.deepEqual(example.status, installed.status);
  });
});
