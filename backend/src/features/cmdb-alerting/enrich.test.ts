import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedCmdb } from '../../clients/cmdb/cached.js';
import type { KubeOwners } from '../../clients/cmdb/kube-owners.js';
import { createTranslator, shippedCatalogues } from '../../core/i18n.js';
import { defaultBusinessMapping } from './business-resolve.js';
import { businessLines, createEnricher } from './enrich.js';

const translate = createTranslator(shippedCatalogues());
const owners: KubeOwners = {
  ownerChain: async () => [
    { kind: 'Pod', namespace: 'prod-pay', name: 'api-1', labels: {}, annotations: {} },
  ],
  namespace: async (name) => ({ kind: 'Namespace', name, labels: {}, annotations: {} }),
};
const cmdb = (stale: boolean): CachedCmdb => ({
  kind: 'netbox',
  bytes: 0,
  forNamespace: async () => ({
    stale,
    ...(stale ? { error: 'CMDB_UNREACHABLE' as const } : {}),
    business: {
      id: '1',
      name: 'payments',
      importance: 'P1',
      owners: [{ name: 'zhang', wecomUserId: 'zhang', priority: 1 }],
      rule: 'NetBox tenant 1',
    },
  }),
  business: async () => ({ stale: false }),
});
const labels = { alertname: 'ContainerCrashLooping', namespace: 'prod-pay', pod: 'api-1' };

describe('createEnricher', () => {
  it('asks the CMDB through its cache when the cluster names nothing; the lines name the system, importance and owners', async () => {
    const enrich = createEnricher({ owners, cmdb: cmdb(false), config: defaultBusinessMapping, translate });
    const e = await enrich(labels);
    assert.deepEqual(
      [e.system.value, e.system.provenance.source, e.importance?.value],
      ['payments', 'cmdb', 'P1'],
    );
    assert.deepEqual(businessLines(e, 'en'), [
      'Business system payments (importance P1) is affected: ContainerCrashLooping on Pod prod-pay/api-1.',
      '@ zhang',
    ]);
    assert.equal(businessLines(e, 'en', 'markdown')[1], '@ <@zhang>');
  });

  it('a CMDB that is down: the last known mapping, and the line says so', async () => {
    const e = await createEnricher({ owners, cmdb: cmdb(true), config: defaultBusinessMapping, translate })(
      labels,
    );
    assert.equal(e.cmdb.stale, true);
    assert.match(businessLines(e, 'zh')[0] ?? '', /业务系统 payments.*最近一次的映射/);
  });

  it('without a CMDB nor labels: unowned', async () => {
    const e = await createEnricher({ owners, config: defaultBusinessMapping, translate })(labels);
    assert.equal(e.system.value, 'unowned');
    assert.deepEqual(businessLines(e, 'en'), [
      'No business system owns Pod prod-pay/api-1 (unowned): ContainerCrashLooping.',
    ]);
  });
});
