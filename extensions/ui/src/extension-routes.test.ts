import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLUSTER_LAYOUT, featureMenu, featureRoutes, WORKSPACE_LAYOUT } from './extension-routes.js';

test('a feature route hangs off its layout at <layout>/<feature><path>, rendering the page', () => {
  const Page = () => null;
  const route = featureRoutes('gpu-quota');
  const cluster = route(CLUSTER_LAYOUT, '/projects/:namespace', Page);
  assert.equal(cluster.path, '/clusters/:cluster/gpu-quota/projects/:namespace');
  assert.equal(cluster.parentRoute, CLUSTER_LAYOUT);
  assert.equal(cluster.element.type, Page);
  const landing = route(WORKSPACE_LAYOUT, '', Page);
  assert.equal(landing.path, '/workspaces/:workspace/gpu-quota');
  assert.equal(landing.parentRoute, '/workspaces/:workspace');
});

test("a feature's menu entry leads to its landing page, titled by its locale key, behind its RoleTemplates' view", () => {
  assert.deepEqual(featureMenu('gpu-quota', 'workspace', { icon: 'gpu-duotone', order: 5 }), {
    parent: 'workspace',
    name: 'gpu-quota',
    title: 'gpu-quota.menu',
    icon: 'gpu-duotone',
    order: 5,
    authKey: 'gpu-quota',
    authAction: 'view',
  });
});

test("a menu entry for every member skips the console's RoleTemplate check (the backend authorizes each call)", () => {
  const entry = featureMenu('ml-apps', 'workspace', { icon: 'appcenter', order: 3, everyMember: true });
  assert.deepEqual(entry, {
    parent: 'workspace',
    name: 'ml-apps',
    title: 'ml-apps.menu',
    icon: 'appcenter',
    order: 3,
    skipAuth: true,
  });
  assert.equal('authKey' in entry, false);
});
