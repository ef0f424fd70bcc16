// cmdb-alerting's package: Alertmanager's intake token comes from the operator's Secret, named in the values and
// mounted as the file ALERT_INTAKE_TOKEN_FILE reads (the chart never creates it), and the NetworkPolicy admits
// Alertmanager beside ks-apiserver and Prometheus (docs/adr/0022, kubesphere-extensions.md §3.3).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ConfigSchema } from '../../backend/src/core/config.js';
import { render, type Manifest } from './helm.js';

interface Container {
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Volume {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[]; defaultMode?: number };
}
type Deployment = Manifest & {
  spec: { template: { spec: { containers: Container[]; volumes: Volume[] } } };
};

const TOKEN = 'ALERT_INTAKE_TOKEN_FILE';
const deploymentOf = (manifests: Manifest[]) => manifests.find((m) => m.kind === 'Deployment') as Deployment;
const envOf = (d: Deployment) =>
  Object.fromEntries((d.spec.template.spec.containers[0]!.env ?? []).map((e) => [e.name, e.value]));

describe('cmdb-alerting: the intake token', () => {
  it('is not configured by default: no file, so the intake refuses every batch', () => {
    const manifests = render('cmdb-alerting');
    assert.equal(envOf(deploymentOf(manifests))[TOKEN], undefined);
    const secrets = manifests.filter((m) => m.kind === 'Secret').map((m) => m.metadata.name);
    assert.deepEqual(secrets, ['cmdb-alerting-backend-tls'], 'no Secret but the generated TLS one');
  });

  it("is the operator's Secret, by name, mounted read-only where ALERT_INTAKE_TOKEN_FILE points", () => {
    const manifests = render('cmdb-alerting', {
      [`backend.secretFiles.${TOKEN}.existingSecret`]: 'alertmanager-intake',
      [`backend.secretFiles.${TOKEN}.key`]: 'bearer',
    });
    const deployment = deploymentOf(manifests);
    const file = envOf(deployment)[TOKEN];
    assert.ok(file, `${TOKEN} is set`);
    const volume = deployment.spec.template.spec.volumes.find(
      (v) => v.secret?.secretName === 'alertmanager-intake',
    );
    assert.ok(volume, 'a volume of the named Secret');
    assert.deepEqual(volume.secret?.items, [{ key: 'bearer', path: 'bearer' }]);
    assert.equal(volume.secret?.defaultMode, 0o440);
    const mount = deployment.spec.template.spec.containers[0]!.volumeMounts?.find(
      (m) => m.name === volume.name,
    );
    assert.ok(mount?.readOnly, 'mounted read-only');
    assert.equal(file, `${mount.mountPath}/bearer`);
    assert.ok(
      !manifests.some((m) => m.kind === 'Secret' && m.metadata.name === 'alertmanager-intake'),
      'the chart never creates the token Secret',
    );
  });
});

describe('cmdb-alerting: the NetworkPolicy', () => {
  it('admits Alertmanager, ks-apiserver and Prometheus to the backend, and nothing else by default', () => {
    const policy = render('cmdb-alerting').find((m) => m.kind === 'NetworkPolicy') as Manifest & {
      spec: {
        policyTypes: string[];
        ingress: {
          from: {
            namespaceSelector: { matchLabels: Record<string, string> };
            podSelector: { matchLabels: Record<string, string> };
          }[];
          ports: { port: string }[];
        }[];
      };
    };
    assert.ok(policy, 'a NetworkPolicy');
    assert.deepEqual(policy.spec.policyTypes, ['Ingress']);
    const peers = policy.spec.ingress.flatMap((rule) =>
      rule.from.map((p) => ({
        namespace: p.namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
        pods: p.podSelector.matchLabels,
      })),
    );
    assert.deepEqual(peers, [
      { namespace: 'kubesphere-system', pods: { app: 'ks-apiserver' } },
      { namespace: 'kubesphere-monitoring-system', pods: { 'app.kubernetes.io/name': 'prometheus' } },
      { namespace: 'kubesphere-monitoring-system', pods: { 'app.kubernetes.io/name': 'alertmanager' } },
    ]);
    assert.deepEqual(
      policy.spec.ingress.flatMap((r) => r.ports.map((p) => p.port)),
      ['https'],
    );
  });
});

interface Rule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}
type RoleManifest = Manifest & { rules: Rule[] };
const backendRoles = (manifests: Manifest[]) => ({
  cluster: manifests.find(
    (m) => m.kind === 'ClusterRole' && m.metadata.name === 'ks-gpu-ml:cmdb-alerting-backend',
  ) as RoleManifest,
  namespaced: manifests.find((m) => m.kind === 'Role') as RoleManifest | undefined,
});
const secretRules = (role: RoleManifest | undefined) =>
  (role?.rules ?? []).filter((r) => r.resources.includes('secrets'));

describe("cmdb-alerting: the backend's settings", () => {
  it("Alertmanager's API (KubeSphere's by default), its deadline and the ack link's lifetime; empty ones stay unset", () => {
    const env = envOf(deploymentOf(render('cmdb-alerting')));
    assert.equal(env.ALERTMANAGER_URL, 'http://alertmanager-main.kubesphere-monitoring-system.svc:9093');
    assert.equal(env.ALERTMANAGER_TIMEOUT_MS, '5000');
    assert.equal(env.ALERT_ACK_TTL_SECONDS, '86400');
    assert.ok(!('ALERT_ACK_BASE_URL' in env), 'no ack base URL by default: messages carry no link');
    assert.ok(!('ALERT_ACK_KEY_FILE' in env), 'no signing key by default');
  });

  it('takes the operator values, and the signing key from a named Secret as a read-only file', () => {
    const manifests = render('cmdb-alerting', {
      'backend.settings.ALERTMANAGER_URL': 'http://am.monitoring.svc:9093',
      'backend.settings.ALERT_ACK_BASE_URL': 'https://alerts.example.com',
      'backend.settings.ALERT_ACK_TTL_SECONDS': '3600',
      'backend.secretFiles.ALERT_ACK_KEY_FILE.existingSecret': 'ack-signing',
    });
    const deployment = deploymentOf(manifests);
    const env = envOf(deployment);
    assert.equal(env.ALERTMANAGER_URL, 'http://am.monitoring.svc:9093');
    assert.equal(env.ALERT_ACK_BASE_URL, 'https://alerts.example.com');
    assert.equal(env.ALERT_ACK_TTL_SECONDS, '3600');
    const volume = deployment.spec.template.spec.volumes.find((v) => v.secret?.secretName === 'ack-signing');
    assert.deepEqual(volume?.secret?.items, [{ key: 'key', path: 'key' }]);
    const mount = deployment.spec.template.spec.containers[0]!.volumeMounts?.find(
      (m) => m.name === volume!.name,
    );
    assert.ok(mount?.readOnly);
    assert.equal(env.ALERT_ACK_KEY_FILE, `${mount.mountPath}/key`);
    assert.ok(!manifests.some((m) => m.kind === 'Secret' && m.metadata.name === 'ack-signing'));
  });

  it('the store: a kept claim for SQLite by default, or the URL from a named Secret and no claim', () => {
    const byDefault = render('cmdb-alerting');
    const claim = byDefault.find((m) => m.kind === 'PersistentVolumeClaim');
    assert.equal(claim?.metadata.name, 'cmdb-alerting-backend-data');
    assert.equal(envOf(deploymentOf(byDefault)).STORE_URL, 'sqlite:/data/backend.sqlite');
    const external = render('cmdb-alerting', {
      'backend.store.existingSecret': 'alerting-db',
      'backend.store.persistence.enabled': 'false',
    });
    assert.ok(!external.some((m) => m.kind === 'PersistentVolumeClaim'));
    const storeEnv = (
      deploymentOf(external).spec.template.spec.containers[0]!.env as {
        name: string;
        valueFrom?: { secretKeyRef: { name: string; key: string } };
      }[]
    ).find((e) => e.name === 'STORE_URL');
    assert.deepEqual(storeEnv?.valueFrom?.secretKeyRef, { name: 'alerting-db', key: 'STORE_URL' });
  });
});

describe("cmdb-alerting: reading receivers' Secrets", () => {
  it("by default: get, in the extension's namespace only (a Role), never list or watch", () => {
    const manifests = render('cmdb-alerting', {}, 'extension-cmdb-alerting');
    const { cluster, namespaced } = backendRoles(manifests);
    assert.deepEqual(secretRules(cluster), [], 'the ClusterRole grants no Secret');
    assert.equal(namespaced?.metadata.namespace, 'extension-cmdb-alerting');
    assert.deepEqual(secretRules(namespaced), [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);
    const binding = manifests.find((m) => m.kind === 'RoleBinding') as Manifest & {
      roleRef: { kind: string; name: string };
      subjects: { name: string }[];
    };
    assert.deepEqual(binding.roleRef, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: namespaced!.metadata.name,
    });
    assert.deepEqual(
      binding.subjects.map((s) => s.name),
      ['cmdb-alerting-backend'],
    );
  });

  it('pinned to named Secrets with resourceNames; scope cluster moves the rule to the ClusterRole', () => {
    const pinned = backendRoles(
      render('cmdb-alerting', { 'backend.receiverSecrets.resourceNames': '{wecom-robot,smtp-auth}' }),
    );
    assert.deepEqual(secretRules(pinned.namespaced)[0]?.resourceNames, ['wecom-robot', 'smtp-auth']);
    const wide = backendRoles(render('cmdb-alerting', { 'backend.receiverSecrets.scope': 'cluster' }));
    assert.equal(wide.namespaced, undefined, 'no Role left');
    assert.deepEqual(secretRules(wide.cluster), [
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
    ]);
    assert.throws(
      () => render('cmdb-alerting', { 'backend.receiverSecrets.scope': 'everywhere' }),
      /must be namespace or cluster/,
    );
  });

  it("watches namespaces (workspace membership) and reads an alert's pod and owners, and writes nothing", () => {
    const { cluster } = backendRoles(render('cmdb-alerting'));
    const verbs = new Set(cluster.rules.flatMap((r) => r.verbs));
    assert.deepEqual([...verbs].sort(), ['create', 'get', 'list', 'watch']);
    const creates = cluster.rules.filter((r) => r.verbs.includes('create')).flatMap((r) => r.resources);
    assert.deepEqual(creates.sort(), ['subjectaccessreviews', 'tokenreviews']);
    const namespaces = cluster.rules.find((r) => r.resources.includes('namespaces'));
    assert.deepEqual(namespaces?.verbs, ['get', 'list', 'watch']);
  });

  it("reads (get only) every kind a pod's owner chain can climb through, Notebooks and InferenceServices included", () => {
    const { cluster } = backendRoles(render('cmdb-alerting'));
    const gets = new Set(
      cluster.rules
        .filter((r) => r.verbs.includes('get'))
        .flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${res}.${g}`))),
    );
    for (const kind of [
      'pods.',
      'replicasets.apps',
      'deployments.apps',
      'statefulsets.apps',
      'jobs.batch',
      'cronjobs.batch',
      'notebooks.kubeflow.org',
      'pytorchjobs.kubeflow.org',
      'trainjobs.trainer.kubeflow.org',
      'jobsets.jobset.x-k8s.io',
      'inferenceservices.serving.kserve.io',
      'revisions.serving.knative.dev',
    ])
      assert.ok(gets.has(kind), `get ${kind}`);
    const lists = new Set(
      cluster.rules
        .filter((r) => r.verbs.includes('list'))
        .flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${res}.${g}`))),
    );
    // The business systems page lists the top-level kinds, never what they own (ReplicaSets); a business silence
    // lists a namespace's pods.
    for (const kind of [
      'deployments.apps',
      'notebooks.kubeflow.org',
      'inferenceservices.serving.kserve.io',
      'pods.',
    ])
      assert.ok(lists.has(kind), `list ${kind}`);
    for (const kind of ['replicasets.apps', 'revisions.serving.knative.dev'])
      assert.ok(!lists.has(kind), `no list ${kind}`);
  });
});

describe('cmdb-alerting: the PrometheusRule', () => {
  it("carries the container rules file's groups unchanged, labelled for KubeSphere's Prometheus", () => {
    const rule = render('cmdb-alerting', {}, 'extension-cmdb-alerting').find(
      (m) => m.kind === 'PrometheusRule',
    ) as Manifest & { spec: unknown };
    assert.ok(rule, 'a PrometheusRule');
    assert.equal(rule.metadata.namespace, 'extension-cmdb-alerting');
    assert.equal(rule.metadata.labels?.prometheus, 'k8s');
    assert.equal(rule.metadata.labels?.role, 'alert-rules');
    const file = parse(
      readFileSync(
        new URL('../../charts/cmdb-alerting/rules/containers.rules.yaml', import.meta.url),
        'utf8',
      ),
    ) as { groups: unknown[] };
    assert.deepEqual(rule.spec, { groups: file.groups });
    assert.ok(
      !render('cmdb-alerting', { 'backend.prometheusRule.enabled': 'false' }).some(
        (m) => m.kind === 'PrometheusRule',
      ),
    );
  });
});

describe("cmdb-alerting: the channels' providers", () => {
  it("defaults equal the backend's own; the SMTP password and voice providers come from named Secrets", () => {
    const env = envOf(deploymentOf(render('cmdb-alerting')));
    const schema = ConfigSchema.properties;
    assert.equal(env.ALERT_WECOM_API_URL, schema.ALERT_WECOM_API_URL.default);
    assert.equal(env.ALERT_SMTP_PORT, String(schema.ALERT_SMTP_PORT.default));
    assert.equal(env.ALERT_SMTP_SECURE, String(schema.ALERT_SMTP_SECURE.default));
    assert.equal(env.ALERT_SMTP_FROM, schema.ALERT_SMTP_FROM.default);
    assert.equal(env.ALERT_CHANNEL_TIMEOUT_MS, String(schema.ALERT_CHANNEL_TIMEOUT_MS.default));
    assert.equal(env.ALERT_OUTBOX_MAX_ATTEMPTS, String(schema.ALERT_OUTBOX_MAX_ATTEMPTS.default));
    assert.equal(env.ALERT_OUTBOX_BASE_BACKOFF_MS, String(schema.ALERT_OUTBOX_BASE_BACKOFF_MS.default));
    assert.equal(env.ALERT_OUTBOX_MAX_BACKOFF_MS, String(schema.ALERT_OUTBOX_MAX_BACKOFF_MS.default));
    assert.equal(
      env.ALERT_WECOM_RATE_LIMIT_BACKOFF_MS,
      String(schema.ALERT_WECOM_RATE_LIMIT_BACKOFF_MS.default),
    );
    assert.equal(env.ALERTMANAGER_TIMEOUT_MS, String(schema.ALERTMANAGER_TIMEOUT_MS.default));
    assert.equal(env.ALERT_ACK_TTL_SECONDS, String(schema.ALERT_ACK_TTL_SECONDS.default));
    assert.equal(env.ALERT_UNOWNED_REPORT_EVERY_MS, String(schema.ALERT_UNOWNED_REPORT_EVERY_MS.default));
    for (const unset of [
      'ALERT_SMTP_HOST',
      'ALERT_SMTP_USER',
      'ALERT_SMTP_PASSWORD_FILE',
      'ALERT_VOICE_PROVIDERS_FILE',
    ])
      assert.ok(!(unset in env), `${unset} unset by default`);

    const configured = deploymentOf(
      render('cmdb-alerting', {
        'backend.settings.ALERT_SMTP_HOST': 'smtp.example.com',
        'backend.settings.ALERT_SMTP_USER': 'alerts',
        'backend.secretFiles.ALERT_SMTP_PASSWORD_FILE.existingSecret': 'smtp-auth',
        'backend.secretFiles.ALERT_VOICE_PROVIDERS_FILE.existingSecret': 'voice-providers',
      }),
    );
    const set = envOf(configured);
    assert.equal(set.ALERT_SMTP_HOST, 'smtp.example.com');
    assert.equal(set.ALERT_SMTP_USER, 'alerts');
    assert.match(set.ALERT_SMTP_PASSWORD_FILE ?? '', /\/password$/);
    assert.match(set.ALERT_VOICE_PROVIDERS_FILE ?? '', /\/providers\.yaml$/);
    const secrets = configured.spec.template.spec.volumes.flatMap((v) =>
      v.secret ? [v.secret.secretName] : [],
    );
    assert.ok(secrets.includes('smtp-auth') && secrets.includes('voice-providers'), secrets.join(', '));
  });
});
