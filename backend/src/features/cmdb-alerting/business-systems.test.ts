import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTranslator, shippedCatalogues } from '../../core/i18n.js';
import { defaultBusinessMapping, type BusinessLookupPort, type ObjectMeta } from './business-resolve.js';
import { listBusinessSystems, type OpenAlert } from './business-systems.js';

const translate = createTranslator(shippedCatalogues());
const w = (
  kind: string,
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
): ObjectMeta => ({
  kind,
  namespace,
  name,
  labels,
  annotations: {},
});
const namespaces: Record<string, ObjectMeta> = {
  'prod-pay': {
    kind: 'Namespace',
    name: 'prod-pay',
    labels: { 'business.kubesphere.io/system': 'payments' },
    annotations: { 'business.kubesphere.io/owners': 'zhangwei' },
  },
  scratch: { kind: 'Namespace', name: 'scratch', labels: {}, annotations: {} },
};
const port: BusinessLookupPort = {
  ownerChain: async () => {
    throw new Error('the list must not read owner chains');
  },
  namespace: async (name) => namespaces[name],
};
const alert = (key: string, system: string | undefined, labels: Record<string, string>): OpenAlert => ({
  alertKey: key,
  state: 'escalating',
  labels,
  startsAt: '2026-12-06T01:00:00Z',
  ...(system
    ? { business: { system: { value: system, provenance: { source: 'workload', rule: 'r' } } } }
    : {}),
});

describe('listBusinessSystems', () => {
  it("groups the workloads by the system each resolves to, with the rule, the owners' provenance and the open alerts", async () => {
    const list = await listBusinessSystems({
      workloads: async () => ({
        items: [
          w('Deployment', 'prod-pay', 'api', {
            'app.kubernetes.io/part-of': 'payments',
            'business.kubesphere.io/importance': 'P1',
          }),
          w('StatefulSet', 'prod-pay', 'ledger'),
          w('Notebook', 'scratch', 'nb', { 'app.kubernetes.io/part-of': 'research' }),
          w('Deployment', 'scratch', 'stray'),
        ],
        truncated: false,
      }),
      port,
      config: defaultBusinessMapping,
      translate,
      openAlerts: async () => [
        alert('a-1', 'payments', {
          alertname: 'KubePodCrashLooping',
          severity: 'critical',
          namespace: 'prod-pay',
        }),
        alert('b-2', undefined, { alertname: 'Old' }),
      ],
    });
    assert.deepEqual(
      list.items.map((s) => [s.name, s.unowned, s.workloads.map((x) => `${x.kind} ${x.name}`)]),
      [
        ['payments', false, ['Deployment api', 'StatefulSet ledger']],
        ['research', false, ['Notebook nb']],
        ['unowned', true, ['Deployment stray']],
      ],
      'systems by name, unowned last',
    );
    const pay = list.items[0]!;
    assert.deepEqual(
      pay.workloads.map((x) => x.provenance.rule),
      [
        'label app.kubernetes.io/part-of on Deployment prod-pay/api',
        'label business.kubesphere.io/system on Namespace prod-pay',
      ],
    );
    assert.equal(pay.importance?.value, 'P1');
    assert.deepEqual(pay.owners, {
      value: [{ name: 'zhangwei', wecomUserId: 'zhangwei' }],
      provenance: {
        source: 'namespace',
        rule: 'annotation business.kubesphere.io/owners on Namespace prod-pay',
      },
    });
    assert.deepEqual(
      pay.openAlerts.map((a) => [a.alertKey, a.alertname, a.severity, a.namespace]),
      [['a-1', 'KubePodCrashLooping', 'critical', 'prod-pay']],
    );
    assert.equal(
      list.items[1]!.workloads[0]!.provenance.rule,
      'label app.kubernetes.io/part-of on Notebook scratch/nb',
    );
    assert.deepEqual(
      list.items[2]!.openAlerts.map((a) => a.alertKey),
      ['b-2'],
      'an alert without a business is unowned',
    );
  });

  it('a system only an open alert names is listed too; truncation is passed on', async () => {
    const list = await listBusinessSystems({
      workloads: async () => ({ items: [], truncated: true }),
      port,
      config: defaultBusinessMapping,
      translate,
      openAlerts: async () => [alert('c-3', 'billing', { alertname: 'X' })],
    });
    assert.deepEqual(
      list.items.map((s) => s.name),
      ['billing'],
    );
    assert.equal(list.truncated, true);
  });
});
