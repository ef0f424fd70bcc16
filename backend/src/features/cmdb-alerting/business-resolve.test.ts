import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTranslator, shippedCatalogues } from '../../core/i18n.js';
import {
  defaultBusinessMapping,
  resolveBusiness,
  type BusinessLookupPort,
  type CmdbAnswer,
  type ObjectMeta,
} from './business-resolve.js';
import { objectMeta } from './test-business.js';

const translate = createTranslator(shippedCatalogues());
const pod = objectMeta('Pod', 'api-7d9-x1', { 'app.kubernetes.io/part-of': 'leftover' });
const rs = objectMeta('ReplicaSet', 'api-7d9');
const deployment = objectMeta('Deployment', 'api', { 'app.kubernetes.io/part-of': 'payments' });
const alert = {
  alertname: 'ContainerCrashLooping',
  namespace: 'prod-pay',
  pod: 'api-7d9-x1',
  severity: 'critical',
};

function port(
  over: Partial<BusinessLookupPort> & { chain?: ObjectMeta[]; ns?: ObjectMeta } = {},
): BusinessLookupPort {
  return {
    ownerChain: async () => over.chain ?? [pod, rs, deployment],
    namespace: async () => over.ns,
    ...over,
  };
}
const paymentsRecord: CmdbAnswer = {
  stale: false,
  business: {
    id: '7',
    name: 'payments',
    importance: 'P1',
    owners: [
      { name: 'li', priority: 2, wecomUserId: 'li' },
      { name: 'zhang', priority: 1, wecomUserId: 'zhang', mobile: '+8613800000000', email: 'z@example.com' },
    ],
    rule: 'NetBox tenant 7',
  },
};

describe('resolveBusiness', () => {
  it('names the system from the Deployment behind the pod (the workload outranks the pod), owners from the CMDB in priority order', async () => {
    const e = await resolveBusiness(
      alert,
      port({ cmdbBusiness: async () => paymentsRecord }),
      defaultBusinessMapping,
      translate,
    );
    assert.equal(e.system.value, 'payments');
    assert.deepEqual(e.system.provenance, {
      source: 'workload',
      rule: 'label app.kubernetes.io/part-of on Deployment prod-pay/api',
    });
    assert.deepEqual(e.importance, { value: 'P1', provenance: { source: 'cmdb', rule: 'NetBox tenant 7' } });
    assert.deepEqual(
      e.owners.value.map((o) => o.name),
      ['zhang', 'li'],
    );
    assert.deepEqual(
      e.workloads.value.map((w) => w.kind),
      ['Pod', 'ReplicaSet', 'Deployment'],
    );
    assert.match(e.impact.en, /payments.*P1.*ContainerCrashLooping.*Pod prod-pay\/api-7d9-x1/);
    assert.match(e.impact.zh, /业务系统 payments（重要性 P1）/);
    assert.equal(e.chain[0]?.outcome, 'matched');
  });

  it('falls through workload → namespace annotation, importance and owners read from the same object', async () => {
    const ns = objectMeta(
      'Namespace',
      'prod-pay',
      {},
      {
        'business.kubesphere.io/system': 'billing',
        'business.kubesphere.io/importance': 'P2',
        'business.kubesphere.io/owners': 'wang, zhao',
      },
    );
    const e = await resolveBusiness(
      alert,
      port({ chain: [objectMeta('Pod', 'p')], ns }),
      defaultBusinessMapping,
      translate,
    );
    assert.equal(e.system.value, 'billing');
    assert.equal(e.system.provenance.rule, 'annotation business.kubesphere.io/system on Namespace prod-pay');
    assert.deepEqual(e.importance?.provenance.source, 'namespace');
    assert.deepEqual(
      e.owners.value.map((o) => o.wecomUserId),
      ['wang', 'zhao'],
    );
    assert.deepEqual(
      e.chain.map((s) => [s.source, s.outcome]),
      [
        ['workload', 'no-match'],
        ['namespace', 'matched'],
      ],
    );
  });

  it('asks the CMDB by namespace, and a stale answer is used and said so in both languages', async () => {
    const e = await resolveBusiness(
      alert,
      port({
        chain: [],
        ns: objectMeta('Namespace', 'prod-pay'),
        cmdbForNamespace: async () => ({ ...paymentsRecord, stale: true, error: 'CMDB_UNREACHABLE' }),
      }),
      defaultBusinessMapping,
      translate,
    );
    assert.equal(e.system.value, 'payments');
    assert.deepEqual(e.system.provenance, { source: 'cmdb', rule: 'NetBox tenant 7 (last known)' });
    assert.deepEqual(e.cmdb, { stale: true, error: 'CMDB_UNREACHABLE' });
    assert.match(e.impact.en, /last known mapping/);
    assert.match(e.impact.zh, /最近一次的映射/);
  });

  it('a CMDB that throws is a step error, never a crash; the workspace then names the system', async () => {
    const e = await resolveBusiness(
      alert,
      port({
        chain: [],
        ns: objectMeta('Namespace', 'prod-pay', { 'kubesphere.io/workspace': 'ws-pay' }),
        cmdbForNamespace: async () => {
          throw new Error('boom');
        },
      }),
      defaultBusinessMapping,
      translate,
    );
    assert.equal(e.system.value, 'ws-pay');
    assert.equal(e.system.provenance.source, 'workspace');
    assert.deepEqual(e.chain.find((s) => s.source === 'cmdb')?.outcome, 'error');
    assert.equal(e.cmdb.error, 'CMDB_UNREACHABLE');
  });

  it('nothing names a system → unowned, with the order tried as its rule', async () => {
    const e = await resolveBusiness(
      alert,
      port({ chain: [], ns: objectMeta('Namespace', 'prod-pay') }),
      defaultBusinessMapping,
      translate,
    );
    assert.equal(e.unowned, true);
    assert.equal(e.system.value, 'unowned');
    assert.match(e.system.provenance.rule, /workload → namespace → cmdb → workspace/);
    assert.match(e.impact.en, /unowned/);
  });

  it('the configured order is honoured: namespace before workload', async () => {
    const ns = objectMeta('Namespace', 'prod-pay', { 'business.kubesphere.io/system': 'platform' });
    const e = await resolveBusiness(
      alert,
      port({ ns }),
      { ...defaultBusinessMapping, order: ['namespace', 'workload'] },
      translate,
    );
    assert.equal(e.system.value, 'platform');
  });

  it('an owner-chain lookup that fails is recorded in the chain and resolution continues', async () => {
    const e = await resolveBusiness(
      alert,
      port({
        ownerChain: async () => {
          throw new Error('apiserver down');
        },
        ns: objectMeta('Namespace', 'prod-pay', { 'app.kubernetes.io/part-of': 'payments' }),
      }),
      defaultBusinessMapping,
      translate,
    );
    assert.equal(e.system.value, 'payments');
    assert.deepEqual(e.chain[0], {
      source: 'workload',
      outcome: 'error',
      rule: 'owner chain',
      detail: 'apiserver down',
    });
  });
});

describe('the idle-allocated GPU alert goes to the holder of the GPU', () => {
  const gpuAlert = {
    alertname: 'GPUAllocatedIdle',
    namespace: 'prod-pay',
    pod: 'nb-0',
    gpu: '0',
    node: 'gpu-1',
  };
  const nbPod = objectMeta('Pod', 'nb-0');
  const sts = objectMeta('StatefulSet', 'nb');
  const notebook = objectMeta(
    'Notebook',
    'nb',
    { 'app.kubernetes.io/part-of': 'research' },
    {
      'kubesphere.io/creator': 'alice',
    },
  );
  const systemOwners: CmdbAnswer = {
    stale: false,
    business: {
      id: '9',
      name: 'research',
      owners: [{ name: 'lead', wecomUserId: 'lead' }],
      rule: 'NetBox tenant 9',
    },
  };

  it("its owners are the workload's creator on the owner chain, not the system's, with the rule that said so", async () => {
    const e = await resolveBusiness(
      gpuAlert,
      port({ chain: [nbPod, sts, notebook], cmdbBusiness: async () => systemOwners }),
      defaultBusinessMapping,
      translate,
    );
    assert.equal(e.system.value, 'research');
    assert.deepEqual(e.owners, {
      value: [{ name: 'alice', wecomUserId: 'alice', role: 'holder' }],
      provenance: {
        source: 'workload',
        rule: 'annotation kubesphere.io/creator on Notebook prod-pay/nb (holds what the alert is about)',
      },
    });
    // Any other alert on the same pod goes to the system's owners.
    const other = await resolveBusiness(
      { ...gpuAlert, alertname: 'GPUXidError' },
      port({ chain: [nbPod, sts, notebook], cmdbBusiness: async () => systemOwners }),
      defaultBusinessMapping,
      translate,
    );
    assert.deepEqual(
      other.owners.value.map((o) => o.name),
      ['lead'],
    );
  });

  it('owner keys outrank the creator; an unowned holder is still reached; nobody named leaves the system owners', async () => {
    const owned = objectMeta(
      'Notebook',
      'nb',
      {},
      { 'business.kubesphere.io/owners': 'bob,carol', 'kubesphere.io/creator': 'alice' },
    );
    const e = await resolveBusiness(
      gpuAlert,
      port({ chain: [nbPod, sts, owned] }),
      defaultBusinessMapping,
      translate,
    );
    assert.equal(e.unowned, true);
    assert.deepEqual(
      e.owners.value.map((o) => o.wecomUserId),
      ['bob', 'carol'],
    );
    const nobody = await resolveBusiness(
      gpuAlert,
      port({
        chain: [nbPod, sts, objectMeta('Notebook', 'nb', { 'app.kubernetes.io/part-of': 'research' })],
        cmdbBusiness: async () => systemOwners,
      }),
      defaultBusinessMapping,
      translate,
    );
    assert.deepEqual(
      nobody.owners.value.map((o) => o.name),
      ['lead'],
    );
  });
});
