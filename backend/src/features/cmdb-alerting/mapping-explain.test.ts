import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors.js';
import { createTranslator, shippedCatalogues } from '../../core/i18n.js';
import { defaultBusinessMapping, type BusinessLookupPort, type ObjectMeta } from './business-resolve.js';
import { explainPodMapping, keysOn } from './mapping-explain.js';
import { objectMeta } from './test-business.js';

const translate = createTranslator(shippedCatalogues());
const port = (objects: ObjectMeta[], ns?: ObjectMeta): BusinessLookupPort => ({
  ownerChain: async () => objects,
  namespace: async () => ns,
});
const deps = (p: BusinessLookupPort) => ({ port: p, config: defaultBusinessMapping, translate });

describe('explainPodMapping', () => {
  it('names the system, the rule behind it, each step, and the keys each object of the chain carries', async () => {
    const chain = [
      objectMeta('Pod', 'api-7d9-x2', { app: 'api', 'app.kubernetes.io/part-of': 'leftover' }),
      objectMeta('ReplicaSet', 'api-7d9'),
      objectMeta('Deployment', 'api', {
        'app.kubernetes.io/part-of': 'payments',
        'business.kubesphere.io/importance': 'P1',
      }),
    ];
    const ns = objectMeta('Namespace', 'prod-pay', { 'kubesphere.io/workspace': 'ws-pay' });
    const m = await explainPodMapping(deps(port(chain, ns)), 'prod-pay', 'api-7d9-x2');
    assert.equal(m.business.system.value, 'payments');
    assert.equal(
      m.business.system.provenance.rule,
      'label app.kubernetes.io/part-of on Deployment prod-pay/api',
    );
    assert.deepEqual(m.business.importance, {
      value: 'P1',
      provenance: {
        source: 'workload',
        rule: 'label business.kubesphere.io/importance on Deployment prod-pay/api',
      },
    });
    assert.deepEqual(
      m.business.chain.map((s) => [s.source, s.outcome]),
      [['workload', 'matched']],
    );
    assert.deepEqual(
      m.objects.map((o) => [o.kind, o.name, o.keys.map((k) => `${k.where} ${k.key}=${k.value}`)]),
      [
        ['Pod', 'api-7d9-x2', ['label app.kubernetes.io/part-of=leftover']],
        ['ReplicaSet', 'api-7d9', []],
        [
          'Deployment',
          'api',
          ['label app.kubernetes.io/part-of=payments', 'label business.kubesphere.io/importance=P1'],
        ],
        ['Namespace', 'prod-pay', ['label kubesphere.io/workspace=ws-pay']],
      ],
    );
    assert.deepEqual(m.order, ['workload', 'namespace', 'cmdb', 'workspace']);
  });

  it('a pod nobody maps: every step tried says why, and the system is unowned', async () => {
    const m = await explainPodMapping(
      deps(port([objectMeta('Pod', 'stray')], objectMeta('Namespace', 'prod-pay'))),
      'prod-pay',
      'stray',
    );
    assert.equal(m.business.unowned, true);
    assert.deepEqual(
      m.business.chain.map((s) => `${s.source} ${s.outcome}`),
      ['workload no-match', 'namespace no-match', 'cmdb skipped', 'workspace no-match'],
    );
  });

  it('a pod that does not exist is a 404 naming it; an apiserver that fails is a 502', async () => {
    await assert.rejects(
      explainPodMapping(deps(port([])), 'prod-pay', 'gone'),
      (e: unknown) =>
        e instanceof AppError && e.statusCode === 404 && e.key === 'CMDB_ALERTING_POD_NOT_FOUND',
    );
    const failing: BusinessLookupPort = {
      ownerChain: () => Promise.reject(new Error('connect ECONNREFUSED')),
      namespace: async () => undefined,
    };
    await assert.rejects(
      explainPodMapping(deps(failing), 'prod-pay', 'x'),
      (e: unknown) => e instanceof AppError && e.statusCode === 502,
    );
  });

  it('keysOn lists a key set as both label and annotation twice, labels first', () => {
    assert.deepEqual(keysOn(objectMeta('Deployment', 'a', { k: '1' }, { k: '2' }), ['k', 'k', 'missing']), [
      { key: 'k', where: 'label', value: '1' },
      { key: 'k', where: 'annotation', value: '2' },
    ]);
  });
});
