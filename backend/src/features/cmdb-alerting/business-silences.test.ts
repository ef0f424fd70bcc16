import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BusinessSystemName } from '@ks-gpu-ml/contracts';
import { Value } from '@sinclair/typebox/value';
import type { AlertmanagerClient, GettableSilence } from '../../clients/alertmanager.js';
import { AppError } from '../../core/errors.js';
import { expandSystem } from './business-silence-expand.js';
import {
  PLACEHOLDER_LABEL,
  createBusinessSilenceService,
  labelSetKey,
  type LabelSet,
} from './business-silences.js';

/** Alertmanager's silences in memory, as its API v2 answers them. */
function memoryAlertmanager(): AlertmanagerClient & { all: GettableSilence[] } {
  const all: GettableSilence[] = [];
  return {
    all,
    listSilences: async () => all.map((s) => ({ ...s })),
    createSilence: async (s) => {
      const id = `s${all.length + 1}`;
      all.push({ ...s, id, status: { state: 'active' } });
      return id;
    },
    expireSilence: async (id) => {
      const s = all.find((x) => x.id === id);
      if (s) s.status = { state: 'expired' };
      return Boolean(s);
    },
  };
}
const ns = (n: string) => ({ name: 'namespace', value: n, isRegex: false, isEqual: true });
const pod = (v: string) => ({ name: 'pod', value: v, isRegex: true, isEqual: true });

describe('business silences', () => {
  it('expands to one Alertmanager silence per label set, tagged with the system; lists and expires as one', async () => {
    const am = memoryAlertmanager();
    let sets: LabelSet[] = [[ns('prod-pay')], [ns('shared'), pod('api-1')]];
    const svc = createBusinessSilenceService({
      alertmanager: () => am,
      expand: async () => sets,
      now: () => Date.parse('2026-12-06T01:00:00Z'),
      newGroup: () => 'abcdef012345',
    });
    const created = await svc.create({ system: 'payments', durationMinutes: 60, comment: 'upgrade' }, 'ops');
    assert.equal(created.silences.length, 2);
    assert.equal(am.all[0]!.comment, '[business payments #abcdef012345] upgrade');
    assert.deepEqual([created.comment, created.endsAt], ['upgrade', '2026-12-06T02:00:00.000Z']);
    am.all.push({ ...am.all[0]!, id: 'foreign', comment: 'a plain silence' });
    assert.deepEqual(
      (await svc.list()).items.map((g) => [g.system, g.group, g.silences.length]),
      [['payments', 'abcdef012345', 2]],
    );

    sets = [[ns('prod-pay')], [ns('shared'), pod('api-1|api-2')]];
    assert.deepEqual(await svc.resync(), { added: 1, expired: 1 });
    assert.deepEqual(await svc.resync(), { added: 0, expired: 0 });
    sets = [];
    assert.deepEqual(
      await svc.resync(),
      { added: 0, expired: 0 },
      'a system mapping nothing keeps its silences',
    );

    await svc.expire('abcdef012345');
    assert.deepEqual(
      am.all.filter((s) => s.status.state === 'active').map((s) => s.id),
      ['foreign'],
    );
    await assert.rejects(
      svc.expire('abcdef012345'),
      (e: unknown) => e instanceof AppError && e.statusCode === 404,
    );
  });

  it('a system that maps nothing yet gets a set no alert carries, replaced once workloads resolve to it', async () => {
    const am = memoryAlertmanager();
    let sets: LabelSet[] = [];
    const svc = createBusinessSilenceService({
      alertmanager: () => am,
      expand: async () => sets,
      newGroup: () => '0123456789ab',
    });
    const created = await svc.create({ system: 'new-system', durationMinutes: 5, comment: 'x' }, 'ops');
    assert.deepEqual(created.silences[0]?.matchers, [
      { name: PLACEHOLDER_LABEL, value: '0123456789ab', isRegex: false, isEqual: true },
    ]);
    sets = [[ns('new-ns')]];
    assert.deepEqual(await svc.resync(), { added: 1, expired: 1 });
    assert.deepEqual(
      am.all.filter((s) => s.status.state === 'active').map((s) => s.matchers),
      [[ns('new-ns')]],
    );
  });

  it("a comment holding a tag-like text keeps the silence in its own group and system (schemathesis's 500)", async () => {
    const am = memoryAlertmanager();
    const svc = createBusinessSilenceService({
      alertmanager: () => am,
      expand: async () => [[ns('prod-pay')]],
      newGroup: () => 'fedcba987654',
    });
    const created = await svc.create(
      { system: 'payments', durationMinutes: 5, comment: '[business other #0e4c679a7a1a] 00' },
      'ops',
    );
    assert.deepEqual(
      [created.group, created.system, created.comment],
      ['fedcba987654', 'payments', '[business other #0e4c679a7a1a] 00'],
    );
  });

  it('answers the silences it made when Alertmanager does not list them yet (no 500 on an empty group)', async () => {
    const am = memoryAlertmanager();
    const svc = createBusinessSilenceService({
      alertmanager: () => ({ ...am, listSilences: async () => [] }),
      expand: async () => [[ns('prod-pay')]],
      newGroup: () => 'fedcba987654',
    });
    const created = await svc.create({ system: 'payments', durationMinutes: 5, comment: 'why' }, 'ops');
    assert.deepEqual(
      [created.group, created.system, created.comment, created.silences.map((s) => s.id)],
      ['fedcba987654', 'payments', 'why', ['s1']],
    );
  });

  it('a system name with a control or line-separator character is refused by the contract', () => {
    for (const bad of ['pay\rments', 'pay\u0010', 'a\u0099b', 'a\u2028b', 'a]b', 'a#b'])
      assert.equal(Value.Check(BusinessSystemName, bad), false, JSON.stringify(bad));
    for (const good of ['payments', '支付系统', 'core banking (EU)'])
      assert.equal(Value.Check(BusinessSystemName, good), true, good);
  });

  it('label sets compare without regard to matcher order', () => {
    assert.equal(labelSetKey([ns('a'), pod('b')]), labelSetKey([pod('b'), ns('a')]));
  });
});

describe('expandSystem', () => {
  const systems = async () => ({
    truncated: false,
    items: [
      {
        name: 'payments',
        unowned: false,
        owners: { value: [], provenance: { source: 'x', rule: 'x' } },
        openAlerts: [],
        workloads: [
          { kind: 'Deployment', namespace: 'shared', name: 'api', provenance: { source: 'x', rule: 'x' } },
          { kind: 'Deployment', namespace: 'prod-pay', name: 'w', provenance: { source: 'x', rule: 'x' } },
        ],
      },
      {
        name: 'ledger',
        unowned: false,
        owners: { value: [], provenance: { source: 'x', rule: 'x' } },
        openAlerts: [],
        workloads: [
          { kind: 'Deployment', namespace: 'shared', name: 'b', provenance: { source: 'x', rule: 'x' } },
        ],
      },
    ],
  });
  const owner: Record<string, string> = {
    'api-1': 'payments',
    'api.2': 'payments',
    'b-1': 'ledger',
    'w-1': 'payments',
  };
  const deps = {
    systems,
    pods: async (n: string) => (n === 'shared' ? ['api-1', 'api.2', 'b-1'] : ['w-1']),
    systemOf: async (labels: Record<string, string>) =>
      labels.pod
        ? (owner[labels.pod] ?? 'unowned')
        : labels.namespace === 'prod-pay'
          ? 'payments'
          : 'unowned',
  };

  it("a namespace the system owns whole by itself; a shared one by the system's pods only, regex-escaped", async () => {
    assert.deepEqual(await expandSystem(deps, 'payments'), [
      [ns('prod-pay')],
      [ns('shared'), pod('api-1|api\\.2')],
    ]);
    assert.deepEqual(await expandSystem(deps, 'ledger'), [[ns('shared'), pod('b-1')]]);
    assert.deepEqual(await expandSystem({ ...deps, chunk: 1 }, 'payments'), [
      [ns('prod-pay')],
      [ns('shared'), pod('api-1')],
      [ns('shared'), pod('api\\.2')],
    ]);
  });
});
