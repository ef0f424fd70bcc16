// cmdb-alerting's package: Alertmanager's intake token comes from the operator's Secret, named in the values and
// mounted as the file ALERT_INTAKE_TOKEN_FILE reads (the chart never creates it), and the NetworkPolicy admits
// Alertmanager beside ks-apiserver and Prometheus (docs/adr/0022, kubesphere-extensions.md §3.3).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
