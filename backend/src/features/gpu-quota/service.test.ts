// The gpu-quota service over an in-memory GpuQuotaKube: which objects it writes and removes, how it refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1ResourceQuota } from '@kubernetes/client-node';
import { Value } from '@sinclair/typebox/value';
import { ClusterQuotaView } from '@ks-gpu-ml/contracts';
import { appErrorOf } from '../../core/test-errors.js';
import { GPU_QUOTA_OBJECT_NAME } from './resourcequota.js';
import { createGpuQuotaService } from './service.js';
import { ENFORCER_CRDS, type EnforcerSetting } from './scheduler.js';
import { A100 } from './test-fixtures.js';
import { allow, caller, fakeKube, translate } from './test-kube.js';
import { KUBESPHERE_QUOTA_CRD, workspaceConfigMapName } from './workspace-store.js';

/** A service with GPU_QUOTA_ENFORCER set, over a fake with these CRDs (or over the given fake). */
function pinned(setting: EnforcerSetting, crds: string[], fake = fakeKube({ crds })) {
  const service = createGpuQuotaService({
    kube: fake.kube,
    authorizer: allow(true),
    translate,
    enforcerSetting: setting,
  });
  return { fake, service };
}

describe('gpu-quota service', () => {
  it('writes the ResourceQuota and Kueue objects, and removes the queues when rows are cleared', async () => {
    const fake = fakeKube({ crds: [...ENFORCER_CRDS.kueue] });
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    const view = await service.updateProjectQuota(caller, 'team', {
      resources: [{ resource: 'nvidia.com/gpu', model: A100, base: 1, max: 3 }],
    });
    assert.equal(view.rows[0]!.max, 3);
    assert.deepEqual(view.rows[0]!.enforcement.base, { state: 'enforced', by: ['kueue'] });
    assert.equal(view.canEdit, true);
    const rq = fake.store.get(`v1/ResourceQuota/team/${GPU_QUOTA_OBJECT_NAME}`) as V1ResourceQuota;
    assert.deepEqual(rq.spec?.hard, { 'requests.nvidia.com/gpu': '3' });
    assert.ok(fake.store.has('kueue.x-k8s.io/v1beta1/ClusterQueue//ks-gpu-ml-team'));
    assert.ok(fake.store.has('kueue.x-k8s.io/v1beta1/LocalQueue/team/gpu-quota'));

    await service.updateProjectQuota(caller, 'team', { resources: [] });
    assert.ok(!fake.store.has('kueue.x-k8s.io/v1beta1/ClusterQueue//ks-gpu-ml-team'));
    assert.ok(!fake.store.has('kueue.x-k8s.io/v1beta1/LocalQueue/team/gpu-quota'));
    // Flavors are shared and stay.
    assert.ok([...fake.store.keys()].some((k) => k.includes('ResourceFlavor')));
  });

  it('without a queue-aware scheduler, base is recorded and said to be not enforced', async () => {
    const fake = fakeKube();
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    await service.updateProjectQuota(caller, 'team', {
      resources: [{ resource: 'nvidia.com/gpu', base: 1, max: 2 }],
    });
    const reader = createGpuQuotaService({ kube: fake.kube, authorizer: allow(false), translate });
    const view = await reader.getProjectQuota(caller, 'team');
    assert.equal(view.rows[0]!.enforcement.base.state, 'recorded');
    assert.ok(view.warnings.some((w) => w.code === 'GPU_QUOTA_BASE_NOT_ENFORCED'));
    assert.equal(view.canEdit, false);
    assert.ok(!fake.applied.some((k) => k.includes('kueue') || k.includes('volcano')));
  });

  it('GPU_QUOTA_ENFORCER=volcano with both schedulers installed: writes the Volcano Queue, removes the Kueue objects', async () => {
    const fake = fakeKube({ crds: [...ENFORCER_CRDS.kueue, ...ENFORCER_CRDS.volcano] });
    const auto = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    const rows = { resources: [{ resource: 'nvidia.com/gpu', base: 1, max: 2 }] };
    assert.equal((await auto.updateProjectQuota(caller, 'team', rows)).enforcer.enforcer, 'kueue');
    assert.ok(fake.store.has('kueue.x-k8s.io/v1beta1/ClusterQueue//ks-gpu-ml-team'));

    const view = await pinned('volcano', [], fake).service.updateProjectQuota(caller, 'team', rows);
    assert.deepEqual(view.enforcer, {
      enforcer: 'volcano',
      setting: 'volcano',
      installed: ['kueue', 'volcano'],
    });
    assert.deepEqual(view.rows[0]!.enforcement.base, { state: 'enforced', by: ['volcano'] });
    assert.ok(fake.store.has('scheduling.volcano.sh/v1beta1/Queue//ks-gpu-ml-team'));
    assert.ok(!fake.store.has('kueue.x-k8s.io/v1beta1/ClusterQueue//ks-gpu-ml-team'));
    assert.ok(!fake.store.has('kueue.x-k8s.io/v1beta1/LocalQueue/team/gpu-quota'));
    assert.deepEqual(view.warnings, []);
  });

  it('a pinned enforcer that is not installed: no crash, base recorded, one warning saying so in every answer', async () => {
    const { fake, service } = pinned('kueue', [...ENFORCER_CRDS.volcano]);
    const view = await service.updateProjectQuota(caller, 'team', {
      resources: [{ resource: 'nvidia.com/gpu', base: 1, max: 2 }],
    });
    assert.equal(view.enforcer.enforcer, 'none');
    assert.equal(view.enforcer.setting, 'kueue');
    assert.equal(view.rows[0]!.enforcement.base.state, 'recorded');
    const codes = view.warnings.map((w) => [w.code, w.path]);
    assert.deepEqual(codes, [['GPU_QUOTA_ENFORCER_NOT_INSTALLED', 'body.resources.0.base']]);
    assert.match(view.warnings[0]!.message, /GPU_QUOTA_ENFORCER=kueue.*install kueue/);
    // Neither queue is written (Volcano is installed, but not chosen).
    assert.ok(!fake.applied.some((k) => k.includes('kueue') || k.includes('volcano')));

    const zh = await service.clusterView({ ...caller, lang: 'zh' });
    assert.equal(zh.enforcer.problem?.code, 'GPU_QUOTA_ENFORCER_NOT_INSTALLED');
    assert.match(zh.enforcer.problem!.message, /CRD 未安装/);
    assert.equal((await service.listGpuResources(caller)).enforcer.problem?.path, 'enforcer');
    // Without any base, the project answer still carries the warning once.
    const noBase = await service.updateProjectQuota(caller, 'team', {
      resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 2 }],
    });
    assert.deepEqual(
      noBase.warnings.map((w) => [w.code, w.path]),
      [['GPU_QUOTA_ENFORCER_NOT_INSTALLED', 'enforcer']],
    );
  });

  it('GPU_QUOTA_ENFORCER=none: base recorded even with Kueue installed, and the warning names the setting', async () => {
    const { fake, service } = pinned('none', [...ENFORCER_CRDS.kueue]);
    const view = await service.updateProjectQuota(caller, 'team', {
      resources: [{ resource: 'nvidia.com/gpu', base: 1, max: 2 }],
    });
    assert.deepEqual(view.enforcer, { enforcer: 'none', setting: 'none', installed: ['kueue'] });
    assert.deepEqual(
      view.warnings.map((w) => w.code),
      ['GPU_QUOTA_BASE_NOT_ENFORCED_BY_SETTING'],
    );
    assert.ok(!fake.applied.some((k) => k.includes('kueue')));
  });

  it('clearing a project that never had a quota writes nothing', async () => {
    const fake = fakeKube();
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    await service.updateProjectQuota(caller, 'team', { resources: [] });
    assert.deepEqual(fake.applied, []);
  });

  it('refuses with 400 naming the field, every problem localized in details', async () => {
    const fake = fakeKube();
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    const err = await appErrorOf(
      service.updateProjectQuota({ ...caller, lang: 'zh' }, 'team', {
        resources: [{ resource: 'nvidia.com/gpu', base: 3, max: 2 }],
      }),
    );
    assert.equal(err.statusCode, 400);
    assert.equal(err.key, 'GPU_QUOTA_BASE_ABOVE_MAX');
    assert.equal(err.details.field, 'body.resources.0.base');
    const problems = err.details.problems as { message: string }[];
    assert.match(problems[0]!.message, /保底/);
    assert.deepEqual(fake.applied, []);
  });

  it('404 for a namespace that does not exist', async () => {
    const service = createGpuQuotaService({ kube: fakeKube().kube, authorizer: allow(true), translate });
    const err = await appErrorOf(service.getProjectQuota(caller, 'nope'));
    assert.equal(err.statusCode, 404);
  });

  it('enforces the workspace split with 409 naming the holders; stores the workspace in a ConfigMap without KubeSphere', async () => {
    const fake = fakeKube({ namespaces: { a: 'ws', b: 'ws' } });
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    const ws = await service.updateWorkspaceQuota(caller, 'ws', {
      resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 4 }],
    });
    assert.equal(ws.storage, 'configmap');
    assert.ok(fake.store.has(`v1/ConfigMap/ks-gpu-ml/${workspaceConfigMapName('ws')}`));
    await service.updateProjectQuota(caller, 'a', {
      resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 3 }],
    });
    const err = await appErrorOf(
      service.updateProjectQuota(caller, 'b', {
        resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 2 }],
      }),
    );
    assert.equal(err.statusCode, 409);
    assert.equal(err.key, 'GPU_QUOTA_WORKSPACE_OVERFLOW');
    assert.match(String(err.params.holders), /^a \(3\)$/);

    const lower = await appErrorOf(
      service.updateWorkspaceQuota(caller, 'ws', {
        resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 2 }],
      }),
    );
    assert.equal(lower.statusCode, 409);
    assert.equal(lower.key, 'GPU_QUOTA_WORKSPACE_BELOW_ALLOCATED');

    const view = await service.getWorkspaceQuota(caller, 'ws');
    assert.equal(view.rows[0]!.remainingMax, 1);
  });

  it('writes KubeSphere’s workspace quota when its CRD is installed', async () => {
    const fake = fakeKube({ crds: [KUBESPHERE_QUOTA_CRD], namespaces: { a: 'ws' } });
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    const view = await service.updateWorkspaceQuota(caller, 'ws', {
      resources: [{ resource: 'nvidia.com/gpu', base: 1, max: 4 }],
    });
    assert.equal(view.storage, 'kubesphere');
    assert.deepEqual(
      view.rows.map((r) => [r.base, r.max]),
      [[1, 4]],
    );
    assert.ok(fake.store.has('quota.kubesphere.io/v1alpha2/ResourceQuota//ws'));
    await service.updateWorkspaceQuota(caller, 'ws', { resources: [] });
    assert.ok(!fake.store.has('quota.kubesphere.io/v1alpha2/ResourceQuota//ws'));
  });

  it('builds the cluster view from the snapshot', async () => {
    const fake = fakeKube({ namespaces: { a: undefined } });
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    await service.updateProjectQuota(caller, 'a', {
      resources: [{ resource: 'nvidia.com/gpu', base: 2, max: 4 }],
    });
    const view = await service.clusterView(caller);
    const gpu = view.resources.find((r) => r.resource === 'nvidia.com/gpu' && r.model === undefined)!;
    assert.equal(gpu.sumBase, 2);
    assert.equal(gpu.sumMax, 4);
    assert.deepEqual(
      view.projects.map((p) => p.namespace),
      ['a'],
    );
  });
});

describe('gpu-quota cluster view shared between requests', () => {
  /** A fake whose snapshot stays the same objects until `change()`, as the watch caches answer. */
  function heldSnapshot() {
    const fake = fakeKube({ namespaces: { a: undefined, b: undefined } });
    let held = fake.kube.clusterSnapshot();
    const kube = { ...fake.kube, clusterSnapshot: () => held };
    const service = createGpuQuotaService({ kube, authorizer: allow(true), translate });
    return { service, change: () => (held = fake.kube.clusterSnapshot()) };
  }

  it('answers the same JSON body until the snapshot changes, and that body is the cluster view by its schema', async () => {
    const { service, change } = heldSnapshot();
    await service.updateProjectQuota(caller, 'a', {
      resources: [{ resource: 'nvidia.com/gpu', base: 1, max: 2 }],
    });
    change();
    const body = await service.clusterViewJson(caller);
    assert.equal(await service.clusterViewJson(caller), body, 'a second request shares the first body');
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    assert.ok(Value.Check(ClusterQuotaView, parsed), [...Value.Errors(ClusterQuotaView, parsed)][0]?.message);
    assert.deepEqual(parsed, await service.clusterView(caller));

    // Another language: its own body (the enforcer's text), the same view.
    const zh = JSON.parse(
      (await service.clusterViewJson({ ...caller, lang: 'zh' })).toString('utf8'),
    ) as ClusterQuotaView;
    assert.deepEqual(zh.projects, (parsed as ClusterQuotaView).projects);

    // A save changes the caches: the next request sees it, the one before the change did not.
    await service.updateProjectQuota(caller, 'b', {
      resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 3 }],
    });
    assert.equal(await service.clusterViewJson(caller), body, 'the caches have not changed yet');
    change();
    const after = JSON.parse((await service.clusterViewJson(caller)).toString('utf8')) as ClusterQuotaView;
    assert.deepEqual(
      after.projects.map((p) => [p.namespace, p.rows[0]!.max]),
      [
        ['a', 2],
        ['b', 3],
      ],
    );
  });
});

describe('gpu-quota amounts have an upper bound (GPU_QUOTA_MAX_AMOUNT)', () => {
  it('refuses max 1e21 with 400 naming the field, and writes nothing', async () => {
    const fake = fakeKube();
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: allow(true), translate });
    const err = await appErrorOf(
      service.updateProjectQuota(caller, 'team', {
        resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 1e21 }],
      }),
    );
    assert.equal(err.statusCode, 400);
    assert.equal(err.key, 'GPU_QUOTA_AMOUNT_TOO_LARGE');
    assert.equal(err.details.field, 'body.resources.0.max');
    assert.deepEqual(fake.applied, []);
  });

  it('takes the limit from the setting, for workspaces too', async () => {
    const fake = fakeKube({ namespaces: { a: 'ws' } });
    const service = createGpuQuotaService({
      kube: fake.kube,
      authorizer: allow(true),
      translate,
      maxAmount: 100,
    });
    const err = await appErrorOf(
      service.updateWorkspaceQuota(caller, 'ws', {
        resources: [{ resource: 'nvidia.com/gpu', base: 101, max: 101 }],
      }),
    );
    assert.equal(err.statusCode, 400);
    assert.equal(err.details.field, 'body.resources.0.base');
    assert.match(String((err.details.problems as { message: string }[])[0]!.message), /\(100, set by/);
  });
});
