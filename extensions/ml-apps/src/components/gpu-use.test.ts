// An app's live GPU figures from gpu-monitoring's per-container rows: only its own pods count, utilization is
// weighted by GPUs, a shared GPU's device figure is never taken for the app's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GpuUsageRow } from '@ks-gpu-ml/contracts';
import { gpuUseOf, gpuUseText } from './gpu-use.js';

const GiB = 2 ** 30;
const row = (pod: string, extra: Partial<GpuUsageRow>): GpuUsageRow => ({
  namespace: 'team-a',
  pod,
  container: 'main',
  devices: 1,
  ...extra,
});

test("an app's figures: its pods only, utilization weighted by GPUs, memory summed", () => {
  const rows = [
    row('job-worker-0', {
      devices: 1,
      utilization: 0.9,
      memoryUsedBytes: 10 * GiB,
      memoryTotalBytes: 80 * GiB,
    }),
    row('job-worker-1', {
      devices: 3,
      utilization: 0.1,
      memoryUsedBytes: 2 * GiB,
      memoryTotalBytes: 240 * GiB,
    }),
    row('other-0', { devices: 8, utilization: 0, memoryUsedBytes: 0, memoryTotalBytes: 640 * GiB }),
  ];
  const use = gpuUseOf(rows, ['job-worker-0', 'job-worker-1']);
  assert.equal(use?.devices, 4);
  assert.ok(Math.abs((use?.utilization ?? NaN) - 0.3) < 1e-9, `(0.9 + 3 × 0.1) / 4, got ${use?.utilization}`);
  assert.equal(use?.memoryUsedBytes, 12 * GiB);
  assert.equal(use?.memoryTotalBytes, 320 * GiB);
  assert.equal(gpuUseText(use), '30% · 12 Gi / 320 Gi');
});

test('a shared GPU counts with its per-container figure, else says "shared" rather than the device figure', () => {
  const hami = gpuUseOf([row('nb-0', { shared: true, utilization: 0.95, sharedUtilization: 0.2 })], ['nb-0']);
  assert.equal(hami?.utilization, 0.2);
  const unknown = gpuUseOf([row('nb-0', { shared: true, utilization: 0.95 })], ['nb-0']);
  assert.equal(unknown?.utilization, undefined);
  assert.equal(unknown?.sharedUnknown, true);
});

test('no row for its pods (not running, or no GPU): no figures', () => {
  assert.equal(gpuUseOf([row('other-0', { utilization: 0.5 })], ['nb-0']), undefined);
  assert.equal(gpuUseOf([row('nb-0', { devices: 0 })], ['nb-0']), undefined);
  assert.equal(gpuUseText(undefined), '-');
  // Without the total, the memory is followed by the word "used" (a dictionary key here, no dictionary loaded).
  const usedOnly = gpuUseText({
    devices: 1,
    utilization: 0.97,
    sharedUnknown: false,
    memoryUsedBytes: 70 * GiB,
  });
  assert.match(usedOnly, /^97% · 70 Gi \S+$/);
  assert.doesNotMatch(usedOnly, /\//, 'no total shown');
});
