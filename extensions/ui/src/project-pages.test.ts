import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuMonitoringRoutes, gpuQuotaRoutes, type CapabilityList } from '@ks-gpu-ml/contracts';
import { capabilityAllows, installedExtensions, layoutPath, reachableProjectPages } from './project-pages.js';

const caps = (items: CapabilityList['items']): CapabilityList => ({
  scope: 'namespace',
  scopeName: 'alpha-train',
  items,
});
const QUOTA = { group: 'gpu-quota.ks-gpu-ml.io', resource: 'gpuquotas' };
const USAGE = { group: 'gpu-monitoring.ks-gpu-ml.io', resource: 'gpuusage' };

test('a route is allowed only with its own verb on its own resource', () => {
  assert.equal(gpuQuotaRoutes.getProjectQuota.resource, QUOTA.resource);
  assert.equal(capabilityAllows(caps([{ ...QUOTA, verbs: ['list'] }]), gpuQuotaRoutes.getProjectQuota), true);
  // Holding the resource but not the verb the page's route uses (a served route the caller may not call).
  assert.equal(capabilityAllows(caps([{ ...QUOTA, verbs: [] }]), gpuQuotaRoutes.getProjectQuota), false);
  assert.equal(
    capabilityAllows(caps([{ ...QUOTA, verbs: ['update'] }]), gpuQuotaRoutes.getProjectQuota),
    false,
  );
  // Not listed: the backend does not serve the feature.
  assert.equal(capabilityAllows(caps([]), gpuQuotaRoutes.getProjectQuota), false);
  assert.equal(capabilityAllows(undefined, gpuQuotaRoutes.getProjectQuota), false);
});

test('a project page is offered when its extension is installed and its route allowed, never the current one', () => {
  const both = caps([
    { ...QUOTA, verbs: ['list'] },
    { group: USAGE.group, resource: gpuMonitoringRoutes.getProjectUsage.resource, verbs: ['list'] },
  ]);
  const all = new Set(['gpu-quota', 'gpu-monitoring']);
  const names = (pages: { extension: string }[]) => pages.map((p) => p.extension);
  assert.deepEqual(names(reachableProjectPages(both, all)), ['gpu-quota', 'gpu-monitoring']);
  assert.deepEqual(names(reachableProjectPages(both, all, 'gpu-quota')), ['gpu-monitoring']);
  // The backend serves gpu-monitoring, but its console extension is not installed: no link to a blank page.
  assert.deepEqual(names(reachableProjectPages(both, new Set(['gpu-quota']))), ['gpu-quota']);
  const quotaOnly = caps([{ ...QUOTA, verbs: ['list'] }]);
  assert.deepEqual(names(reachableProjectPages(quotaOnly, all)), ['gpu-quota']);
});

test('installed extensions come from the BFF’s JSBundle list; pages live in the workspace or cluster layout', () => {
  const installed = installedExtensions({
    installedExtensions: [{ extensionName: 'gpu-quota' }, {}, { extensionName: 'ml-apps' }],
  });
  assert.deepEqual([...installed].sort(), ['gpu-quota', 'ml-apps']);
  assert.deepEqual([...installedExtensions({})], []);
  assert.equal(layoutPath({ workspace: 'ws-alpha', cluster: 'host' }), '/workspaces/ws-alpha');
  assert.equal(layoutPath({ cluster: 'host' }), '/clusters/host');
});
