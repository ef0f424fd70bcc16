// The quota's integrity against tenants and failures (docs/adr/0013): holdings a project admin cannot blank,
// deletes of our own objects only, and a write that fails half-way undone, with the lock released.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { appErrorOf } from '../../core/test-errors.js';
import { GPU_QUOTA_ANNOTATION, GPU_QUOTA_OBJECT_NAME } from './resourcequota.js';
import { createGpuQuotaService } from './service.js';
import { ENFORCER_CRDS } from './scheduler.js';
import { allow, caller, fakeKube, translate } from './test-kube.js';

const GPU = 'nvidia.com/gpu';
const quota = (base: number, max: number) => ({ resources: [{ resource: GPU, base, max }] });
const rqKey = (ns: string) => `v1/ResourceQuota/${ns}/${GPU_QUOTA_OBJECT_NAME}`;
const cqKey = (ns: string) => `kueue.x-k8s.io/v1beta1/ClusterQueue//ks-gpu-ml-${ns}`;
const lqKey = (ns: string) => `kueue.x-k8s.io/v1beta1/LocalQueue/${ns}/gpu-quota`;

describe('gpu-quota holdings come from what tenants cannot write', () => {
  for (const [attack, tamper] of [
    ['blanks the annotation', (o: KubernetesObject) => delete o.metadata!.annotations![GPU_QUOTA_ANNOTATION]],
    ['deletes the ResourceQuota', undefined],
  ] as const) {
    it(`a project admin who ${attack} frees no base of the workspace; the mismatch is reported`, async () => {
      const fake = fakeKube({ namespaces: { a: 'ws', b: 'ws' } });
      const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
      await service.updateWorkspaceQuota(caller, 'ws', quota(4, 4));
      await service.updateProjectQuota(caller, 'a', quota(3, 3));
      if (tamper) tamper(fake.store.get(rqKey('a'))!);
      else fake.store.delete(rqKey('a'));

      const err = await appErrorOf(service.updateProjectQuota(caller, 'b', quota(2, 2)));
      assert.equal(err.statusCode, 409);
      assert.equal(err.key, 'GPU_QUOTA_WORKSPACE_OVERFLOW');
      const ws = await service.getWorkspaceQuota(caller, 'ws');
      assert.equal(ws.rows[0]!.allocatedBase, 3);
      assert.ok(ws.warnings.some((w) => w.code === 'GPU_QUOTA_HOLDINGS_MISMATCH'));
      const project = await service.getProjectQuota(caller, 'a');
      assert.deepEqual(
        project.rows.map((r) => [r.base, r.max]),
        [[3, 3]],
      );
    });
  }
});

describe('gpu-quota deletes only what it made', () => {
  it('leaves a LocalQueue and a ClusterQueue of the same names made by someone else, and says so', async () => {
    const fake = fakeKube({ crds: [...ENFORCER_CRDS.kueue] });
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    const foreign = (apiVersion: string, kind: string, name: string, namespace?: string) => ({
      apiVersion,
      kind,
      metadata: { name, ...(namespace ? { namespace } : {}), managedFields: [{ manager: 'kubectl' }] },
    });
    fake.store.set(lqKey('team'), foreign('kueue.x-k8s.io/v1beta1', 'LocalQueue', 'gpu-quota', 'team'));
    fake.store.set(cqKey('team'), foreign('kueue.x-k8s.io/v1beta1', 'ClusterQueue', 'ks-gpu-ml-team'));

    const view = await service.updateProjectQuota(caller, 'team', { resources: [] });
    assert.ok(fake.store.has(lqKey('team')));
    assert.ok(fake.store.has(cqKey('team')));
    const kept = view.warnings.filter((w) => w.code === 'GPU_QUOTA_FOREIGN_OBJECT_KEPT');
    assert.deepEqual(kept.map((w) => w.params.kind).sort(), ['ClusterQueue', 'LocalQueue']);
    assert.deepEqual(fake.removed, []);
  });

  it('still deletes its own queues', async () => {
    const fake = fakeKube({ crds: [...ENFORCER_CRDS.kueue] });
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    await service.updateProjectQuota(caller, 'team', quota(1, 2));
    await service.updateProjectQuota(caller, 'team', { resources: [] });
    assert.ok(!fake.store.has(cqKey('team')) && !fake.store.has(lqKey('team')));
  });
});

describe('gpu-quota write that fails half-way', () => {
  it('the queue write is refused after the ResourceQuota was written: undone, said so, lock released', async () => {
    let failQueue = false;
    // Refuses the next ClusterQueue write once (an admission webhook that said no, say).
    const fake = fakeKube({
      crds: [...ENFORCER_CRDS.kueue],
      failApply: (o) => {
        if (!failQueue || o.kind !== 'ClusterQueue') return false;
        failQueue = false;
        return true;
      },
    });
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    await service.updateProjectQuota(caller, 'team', { ...quota(1, 2) });
    failQueue = true;
    const err = await appErrorOf(service.updateProjectQuota(caller, 'team', quota(2, 6)));
    assert.equal(err.statusCode, 502);
    assert.equal(err.key, 'GPU_QUOTA_WRITE_ROLLED_BACK');
    assert.equal(err.details.step, 'queues');
    // The ResourceQuota is back at the old max, and the record says the old rows.
    const rq = fake.store.get(rqKey('team')) as { spec: { hard: Record<string, string> } };
    assert.deepEqual(rq.spec.hard, { 'requests.nvidia.com/gpu': '2' });
    const view = await service.getProjectQuota(caller, 'team');
    assert.deepEqual(
      view.rows.map((r) => [r.base, r.max]),
      [[1, 2]],
    );
    assert.deepEqual(view.warnings, []);
    // The lock is free: the next write goes through.
    const after = await service.updateProjectQuota(caller, 'team', quota(2, 6));
    assert.equal(after.rows[0]!.max, 6);
  });

  it('when undoing fails too, the larger quota stays recorded as held and the answer says what disagrees', async () => {
    let quotaWrites = 0;
    const fake = fakeKube({
      crds: [...ENFORCER_CRDS.kueue],
      namespaces: { team: 'ws', other: 'ws' },
      failApply: (o) =>
        o.kind === 'ClusterQueue' ||
        (o.kind === 'ResourceQuota' && o.apiVersion === 'v1' && ++quotaWrites > 1),
    });
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    await service.updateWorkspaceQuota(caller, 'ws', quota(4, 4));
    const err = await appErrorOf(service.updateProjectQuota(caller, 'team', quota(3, 3)));
    assert.equal(err.key, 'GPU_QUOTA_WRITE_INCOMPLETE');
    assert.deepEqual(err.details.notUndone, ['ResourceQuota']);
    // The ResourceQuota says max 3 and may be enforced: the record holds it, so the workspace cannot give it away.
    const ws = await service.getWorkspaceQuota(caller, 'ws');
    assert.equal(ws.rows[0]!.allocatedBase, 3);
  });
});

describe('gpu-quota holdings of a deleted project', () => {
  it('hold nothing; the next write removes its record and ClusterQueue', async () => {
    const fake = fakeKube({ crds: [...ENFORCER_CRDS.kueue], namespaces: { gone: undefined, a: undefined } });
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    await service.updateProjectQuota(caller, 'gone', quota(50, 50));
    // The namespace is deleted: its ResourceQuota and LocalQueue go with it, the rest stays.
    fake.store.delete(rqKey('gone'));
    fake.store.delete(lqKey('gone'));
    delete fake.namespaces.gone;

    await service.updateProjectQuota(caller, 'a', quota(50, 50));
    assert.ok(!fake.store.has(cqKey('gone')));
    assert.ok(![...fake.store.keys()].some((k) => k.includes('project-quota-gone')));
  });
});

describe('gpu-quota does not take over what it did not make', () => {
  it('a save that would apply over a foreign ClusterQueue of the same name is refused before any write', async () => {
    const fake = fakeKube({ crds: [...ENFORCER_CRDS.kueue] });
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    const theirs = {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ClusterQueue',
      metadata: { name: 'ks-gpu-ml-team' },
    };
    fake.store.set(cqKey('team'), theirs);
    const err = await appErrorOf(service.updateProjectQuota(caller, 'team', quota(1, 2)));
    assert.equal(err.statusCode, 409);
    assert.equal(err.key, 'GPU_QUOTA_FOREIGN_OBJECT_IN_THE_WAY');
    assert.deepEqual(fake.applied, []);
    assert.deepEqual(fake.store.get(cqKey('team')), theirs);
  });
});
