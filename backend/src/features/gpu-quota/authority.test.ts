import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorityOf, mayEditProject, outsideWorkspaceReason, projectSaveRefusal } from './authority.js';
import { as, roles } from './test-kube.js';

const gpus = (base: number, max: number) => [{ resource: 'nvidia.com/gpu', base, max }];

describe('gpu-quota authority', () => {
  it('is cluster for a platform role, workspace for its admin in that workspace only, none otherwise', async () => {
    const authority = authorityOf(roles({ platform: ['admin'], workspaceAdmins: { ws: ['ws-admin'] } }));
    assert.equal(await authority(as('admin'), undefined), 'cluster');
    assert.equal(await authority(as('ws-admin'), 'ws'), 'workspace');
    assert.equal(await authority(as('ws-admin'), 'other'), 'none');
    assert.equal(await authority(as('ws-admin'), undefined), 'none');
    assert.equal(await authority(as('alice'), 'ws'), 'none');
  });

  it('refuses a project save by its own members, and an over-commitment by anyone but a platform role', () => {
    assert.equal(projectSaveRefusal('none', { overcommit: false }), 'GPU_QUOTA_FORBIDDEN_OWN_PROJECT');
    assert.equal(projectSaveRefusal('workspace', { overcommit: true }), 'GPU_QUOTA_FORBIDDEN_OVERCOMMIT');
    assert.equal(projectSaveRefusal('workspace', { overcommit: false }), undefined);
    assert.equal(projectSaveRefusal('cluster', { overcommit: true }), undefined);
  });

  it('keeps a workspace admin within the workspace quota; a platform role is never outside it', () => {
    const save = { who: 'workspace' as const, workspace: 'ws', workspaceRows: gpus(4, 8), previous: [] };
    assert.equal(outsideWorkspaceReason({ ...save, rows: gpus(2, 4) }), undefined);
    assert.deepEqual(outsideWorkspaceReason({ ...save, workspace: undefined, rows: [] }), {
      code: 'GPU_QUOTA_OUTSIDE_NO_WORKSPACE',
      params: {},
    });
    assert.deepEqual(outsideWorkspaceReason({ ...save, workspaceRows: [], rows: gpus(0, 1) }), {
      code: 'GPU_QUOTA_OUTSIDE_NO_WORKSPACE_QUOTA',
      params: { workspace: 'ws' },
    });
    // Clearing a project is not raising anything, even where the workspace has no quota.
    assert.equal(outsideWorkspaceReason({ ...save, workspaceRows: [], rows: [] }), undefined);
    const mig = [{ resource: 'nvidia.com/mig-1g.10gb', base: 0, max: 1 }];
    assert.deepEqual(outsideWorkspaceReason({ ...save, rows: mig }), {
      code: 'GPU_QUOTA_OUTSIDE_NOT_COVERED',
      params: { workspace: 'ws', resource: 'nvidia.com/mig-1g.10gb' },
    });
    assert.equal(outsideWorkspaceReason({ ...save, rows: mig, previous: mig }), undefined);
    assert.equal(
      outsideWorkspaceReason({ ...save, who: 'cluster', workspaceRows: [], rows: mig }),
      undefined,
    );
  });

  it('offers the project editor to a workspace admin only when the workspace has a quota', () => {
    assert.equal(mayEditProject('cluster', false), true);
    assert.equal(mayEditProject('workspace', true), true);
    assert.equal(mayEditProject('workspace', false), false);
    assert.equal(mayEditProject('none', true), false);
  });
});
