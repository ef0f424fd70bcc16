import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseEnforcer, ENFORCER_CRDS, rowEnforcement } from './scheduler.js';
import { A100 } from './test-fixtures.js';

const kueue = ENFORCER_CRDS.kueue;
const volcano = ENFORCER_CRDS.volcano;
const unrelated = ['notebooks.kubeflow.org', 'workspaces.tenant.kubesphere.io'];

describe('chooseEnforcer', () => {
  it('detects from CRD names, preferring Kueue when both are installed', () => {
    assert.equal(chooseEnforcer(unrelated).enforcer, 'none');
    assert.equal(chooseEnforcer([...unrelated, ...volcano]).enforcer, 'volcano');
    assert.equal(chooseEnforcer([...kueue]).enforcer, 'kueue');
    const both = chooseEnforcer([...volcano, ...kueue]);
    assert.deepEqual([both.enforcer, both.installed], ['kueue', ['kueue', 'volcano']]);
  });

  it('needs every Kueue CRD', () => {
    assert.equal(chooseEnforcer(['clusterqueues.kueue.x-k8s.io']).enforcer, 'none');
  });

  it('honours a per-cluster override, and reports an override to a scheduler that is not installed', () => {
    assert.equal(chooseEnforcer([...kueue, ...volcano], 'volcano').enforcer, 'volcano');
    assert.equal(chooseEnforcer([...kueue], 'none').enforcer, 'none');
    const missing = chooseEnforcer([...volcano], 'kueue');
    assert.equal(missing.enforcer, 'none');
    assert.equal(missing.problem?.code, 'GPU_QUOTA_ENFORCER_NOT_INSTALLED');
    assert.match(missing.problem!.message, /install kueue or choose another enforcer/);
  });
});

describe('rowEnforcement', () => {
  const any = { resource: 'nvidia.com/gpu', base: 1, max: 2 };
  const perModel = { ...any, model: A100 };

  it('without a queue scheduler: max by the ResourceQuota, base recorded, not enforced', () => {
    const e = rowEnforcement(any, 'none', 'spec.resources[0]');
    assert.deepEqual(e.max, { state: 'enforced', by: ['resourcequota'] });
    assert.equal(e.base.state, 'recorded');
    assert.equal(e.base.problem?.path, 'spec.resources[0].base');
    assert.match(e.base.problem!.message, /recorded but not enforced/);
    assert.equal(rowEnforcement(perModel, 'none').max.state, 'enforced-as-total');
  });

  it('with Kueue: base and per-model max enforced by flavors', () => {
    assert.deepEqual(rowEnforcement(perModel, 'kueue'), {
      base: { state: 'enforced', by: ['kueue'] },
      max: { state: 'enforced', by: ['kueue'] },
    });
    assert.deepEqual(rowEnforcement(any, 'kueue').max.by, ['resourcequota', 'kueue']);
  });

  it('with Volcano: base enforced, per model only as a total', () => {
    assert.equal(rowEnforcement(any, 'volcano').base.state, 'enforced');
    assert.equal(rowEnforcement(perModel, 'volcano').base.state, 'enforced-as-total');
  });

  it('says why base is not enforced: nothing installed, turned off, or the pinned enforcer missing', () => {
    const why = (setting: 'auto' | 'none' | 'kueue', crds: string[]) =>
      rowEnforcement(any, chooseEnforcer(crds, setting), 'spec.resources[2]').base.problem;
    assert.equal(why('auto', unrelated)?.code, 'GPU_QUOTA_BASE_NOT_ENFORCED');
    assert.equal(why('none', [...kueue])?.code, 'GPU_QUOTA_BASE_NOT_ENFORCED_BY_SETTING');
    const missing = why('kueue', [...volcano]);
    assert.deepEqual(
      [missing?.code, missing?.path],
      ['GPU_QUOTA_ENFORCER_NOT_INSTALLED', 'spec.resources[2].base'],
    );
    assert.equal(rowEnforcement(any, chooseEnforcer([...volcano], 'volcano')).base.problem, undefined);
  });

  it('HAMi amounts: max by the HAMi scheduler, base recorded whatever the enforcer', () => {
    const e = rowEnforcement({ resource: 'nvidia.com/gpumem', base: 0, max: 1024 }, 'kueue');
    assert.deepEqual(e.max, { state: 'enforced', by: ['hami-scheduler'] });
    assert.equal(e.base.state, 'recorded');
  });
});
