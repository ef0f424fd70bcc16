import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectsPath } from './tenant-api.js';

test("KubeSphere's project list path, with and without a cluster prefix", () => {
  assert.equal(
    projectsPath({ workspace: 'ws-alpha' }),
    '/kapis/tenant.kubesphere.io/v1beta1/workspaces/ws-alpha/namespaces',
  );
  assert.equal(
    projectsPath({ cluster: 'host' }),
    '/clusters/host/kapis/tenant.kubesphere.io/v1beta1/namespaces',
  );
});
