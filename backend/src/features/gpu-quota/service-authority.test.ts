// Who may set which GPU quota (docs/adr/0013), tried as the attacks in issue 12: a project's own admin raising its
// quota, a workspace admin editing its own workspace's quota or going beyond it, a project claiming the whole
// cluster's guarantee, and two writers racing for the last of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appErrorOf } from '../../core/test-errors.js';
import { capacityOf } from './catalogue.js';
import { createGpuQuotaService } from './service.js';
import { ENFORCER_CRDS } from './scheduler.js';
import { sandboxCatalogue } from './test-fixtures.js';
import { as, fakeKube, roles, translate } from './test-kube.js';

const GPU = 'nvidia.com/gpu';
const allocatable = capacityOf(sandboxCatalogue(), GPU)!.allocatable;
const grants = { platform: ['admin'], workspaceAdmins: { ws: ['ws-admin'] } };

function setup(options: Parameters<typeof fakeKube>[0] = {}) {
  const fake = fakeKube({ namespaces: { a: 'ws', b: 'ws', lone: undefined }, ...options });
  const service = createGpuQuotaService({ kube: fake.kube, authorizer: roles(grants), translate });
  return { fake, service };
}

const quota = (base: number, max: number, resource = GPU) => ({ resources: [{ resource, base, max }] });

describe('gpu-quota authority', () => {
  it("a project's own admin never sets its quota: 403 naming who can, nothing written", async () => {
    const { fake, service } = setup();
    const err = await appErrorOf(service.updateProjectQuota(as('project-admin'), 'a', quota(1000, 1000)));
    assert.equal(err.statusCode, 403);
    assert.equal(err.key, 'GPU_QUOTA_FORBIDDEN_OWN_PROJECT');
    assert.deepEqual(fake.applied, []);
    assert.equal((await service.getProjectQuota(as('project-admin'), 'a')).canEdit, false);
  });

  it("a workspace admin may not change its own workspace's quota, and is not offered to", async () => {
    const { service } = setup();
    const err = await appErrorOf(service.updateWorkspaceQuota(as('ws-admin'), 'ws', quota(0, 8)));
    assert.equal(err.statusCode, 403);
    assert.equal(err.key, 'GPU_QUOTA_FORBIDDEN_WORKSPACE');
    assert.equal((await service.getWorkspaceQuota(as('ws-admin'), 'ws')).canEdit, false);
    assert.equal((await service.getWorkspaceQuota(as('admin'), 'ws')).canEdit, true);
  });

  it('a workspace admin sets project quotas only within the workspace quota', async () => {
    const { service } = setup();
    const outside = await appErrorOf(service.updateProjectQuota(as('ws-admin'), 'a', quota(1, 2)));
    assert.equal(outside.statusCode, 403, 'no workspace quota yet');
    assert.equal(outside.key, 'GPU_QUOTA_FORBIDDEN_OUTSIDE_WORKSPACE_QUOTA');
    assert.equal((await service.getProjectQuota(as('ws-admin'), 'a')).canEdit, false, 'not offered either');

    await service.updateWorkspaceQuota(as('admin'), 'ws', quota(2, 4));
    const view = await service.updateProjectQuota(as('ws-admin'), 'a', quota(1, 3));
    assert.equal(view.rows[0]!.max, 3);
    assert.equal(view.canEdit, true);
    assert.equal(view.canOvercommit, false);
    assert.equal((await service.getProjectQuota(as('admin'), 'a')).canOvercommit, true);
    const over = await appErrorOf(service.updateProjectQuota(as('ws-admin'), 'b', quota(0, 2)));
    assert.equal(over.statusCode, 409);
    assert.equal(over.key, 'GPU_QUOTA_WORKSPACE_OVERFLOW');
    const uncovered = await appErrorOf(
      service.updateProjectQuota(as('ws-admin'), 'b', quota(0, 1, 'nvidia.com/mig-1g.10gb')),
    );
    assert.equal(uncovered.statusCode, 403, 'a resource the workspace quota does not cover');
    // A project in no workspace is the platform's alone.
    const lone = await appErrorOf(service.updateProjectQuota(as('ws-admin'), 'lone', quota(0, 1)));
    assert.equal(lone.statusCode, 403);
    await service.updateProjectQuota(as('admin'), 'lone', quota(0, 1));
  });

  it('says why a save is outside the workspace quota in the caller’s language', async () => {
    const { service } = setup();
    const zh = { ...as('ws-admin'), lang: 'zh' as const };
    const noQuota = await appErrorOf(service.updateProjectQuota(zh, 'a', quota(1, 2)));
    assert.equal(
      noQuota.params.reason,
      translate('zh', 'GPU_QUOTA_OUTSIDE_NO_WORKSPACE_QUOTA', { workspace: 'ws' }),
    );
    await service.updateWorkspaceQuota(as('admin'), 'ws', quota(2, 4));
    const mig = 'nvidia.com/mig-1g.10gb';
    const uncovered = await appErrorOf(service.updateProjectQuota(zh, 'a', quota(0, 1, mig)));
    const text = translate('zh', 'GPU_QUOTA_OUTSIDE_NOT_COVERED', { workspace: 'ws', resource: mig });
    assert.equal(uncovered.params.reason, text);
    assert.notEqual(
      text,
      translate('en', 'GPU_QUOTA_OUTSIDE_NOT_COVERED', { workspace: 'ws', resource: mig }),
    );
  });

  it('a project cannot claim more base than the cluster can guarantee; only an explicit platform over-commit can', async () => {
    const { service } = setup({ crds: [...ENFORCER_CRDS.kueue] });
    const claim = await appErrorOf(
      service.updateProjectQuota(as('admin'), 'lone', quota(allocatable + 1, allocatable + 1)),
    );
    assert.equal(claim.statusCode, 409);
    assert.equal(claim.key, 'GPU_QUOTA_CLUSTER_OVERCOMMIT');
    assert.equal(claim.details.field, 'body.resources.0.base');

    await service.updateProjectQuota(as('admin'), 'lone', quota(allocatable - 1, allocatable));
    await service.updateWorkspaceQuota(as('admin'), 'ws', quota(8, 8));
    const second = await appErrorOf(service.updateProjectQuota(as('ws-admin'), 'a', quota(2, 2)));
    assert.equal(second.statusCode, 409, 'the sum over projects counts');
    assert.equal(second.key, 'GPU_QUOTA_CLUSTER_OVERCOMMIT');
    const notTheirs = await appErrorOf(
      service.updateProjectQuota(as('ws-admin'), 'a', { ...quota(2, 2), allowBaseOvercommit: true }),
    );
    assert.equal(notTheirs.statusCode, 403);
    assert.equal(notTheirs.key, 'GPU_QUOTA_FORBIDDEN_OVERCOMMIT');

    const accepted = await service.updateProjectQuota(as('admin'), 'a', {
      ...quota(2, 2),
      allowBaseOvercommit: true,
    });
    assert.ok(accepted.warnings.some((w) => w.code === 'GPU_QUOTA_OVERCOMMIT_ACCEPTED'));
    const cluster = await service.clusterView(as('admin'));
    const gpu = cluster.resources.find((r) => r.resource === GPU && r.model === undefined)!;
    assert.equal(gpu.overcommitted, true);
    // Lowering a base is always allowed, even while over-committed.
    await service.updateProjectQuota(as('admin'), 'a', quota(1, 2));
  });

  it('two concurrent writers in different workspaces cannot both take the last of the guarantee', async () => {
    const fake = fakeKube({ namespaces: { x: 'wx', y: 'wy' }, applyDelayMs: 5 });
    const service = createGpuQuotaService({ kube: fake.kube, authorizer: roles(grants), translate });
    const half = Math.floor(allocatable / 2) + 1;
    const results = await Promise.allSettled([
      service.updateProjectQuota(as('admin'), 'x', quota(half, half)),
      service.updateProjectQuota(as('admin'), 'y', quota(half, half)),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((await appErrorOf(Promise.reject(refused.reason))).key, 'GPU_QUOTA_CLUSTER_OVERCOMMIT');
  });

  it('two backend replicas (two processes, two in-process locks) cannot both take the rest either', async () => {
    const fake = fakeKube({ namespaces: { x: 'wx', y: 'wy' }, applyDelayMs: 5 });
    const replica = () => createGpuQuotaService({ kube: fake.kube, authorizer: roles(grants), translate });
    const half = Math.floor(allocatable / 2) + 1;
    const results = await Promise.allSettled([
      replica().updateProjectQuota(as('admin'), 'x', quota(half, half)),
      replica().updateProjectQuota(as('admin'), 'y', quota(half, half)),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((await appErrorOf(Promise.reject(refused.reason))).key, 'GPU_QUOTA_CLUSTER_OVERCOMMIT');
    // The loser's record was undone: only the winner holds base.
    const view = await replica().clusterView(as('admin'));
    assert.equal(view.resources.find((r) => r.resource === GPU && r.model === undefined)!.sumBase, half);
  });
});
