import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modelSpecForProduct } from './gpu-models.js';
import {
  ANNOTATIONS,
  gpuReading,
  MEMORY_LEAK,
  parseDurationSeconds,
  podLoad,
  type GpuProfile,
} from './profiles.js';
import { gpuPod } from './fixtures.js';

const a100 = modelSpecForProduct('NVIDIA-A100-SXM4-80GB');
const times = Array.from({ length: 60 }, (_, i) => i * 7.3);

test('busy: utilization 90-100 %, graphics engine 0.9-1.0, framebuffer mostly used, on every GPU', () => {
  for (const gpu of [0, 3, 7]) {
    for (const t of times) {
      const r = gpuReading('busy', t, gpu, a100);
      assert.ok(r.gpuUtil >= 90 && r.gpuUtil <= 100, `util ${r.gpuUtil}`);
      assert.ok(r.grEngineActive >= 0.9 && r.grEngineActive <= 1, `gr ${r.grEngineActive}`);
      assert.ok(r.fbUsedMiB >= 0.8 * a100.fbTotalMiB, `fb ${r.fbUsedMiB}`);
      assert.equal(r.smClockMHz, a100.maxSmClockMHz);
      assert.equal(r.xid, 0);
    }
  }
});

test('readings are a pure function of profile, time and GPU index', () => {
  assert.deepEqual(gpuReading('busy', 42, 2, a100), gpuReading('busy', 42, 2, a100));
  assert.notDeepEqual(
    gpuReading('busy', 42, 2, a100),
    gpuReading('busy', 42, 3, a100),
    'GPUs are phase-shifted',
  );
  assert.notDeepEqual(
    gpuReading('busy', 10, 2, a100),
    gpuReading('busy', 40, 2, a100),
    'the load moves over time',
  );
});

test('idle: allocated but nothing runs, so utilization and engines are 0 with a small framebuffer', () => {
  for (const t of times) {
    const r = gpuReading('idle', t, 1, a100);
    assert.equal(r.gpuUtil, 0);
    assert.equal(r.grEngineActive, 0);
    assert.equal(r.tensorActive, 0);
    assert.ok(r.fbUsedMiB > 0 && r.fbUsedMiB < 0.05 * a100.fbTotalMiB, `fb ${r.fbUsedMiB}`);
  }
  assert.equal(gpuReading('unallocated', 5, 0, a100).fbUsedMiB, 0);
  assert.equal(gpuReading('unallocated', 5, 0, a100).gpuUtil, 0);
});

test('memory-leak: framebuffer grows linearly with time since start, then stops just under the total', () => {
  const used = (t: number): number => gpuReading('memory-leak', t, 0, a100).fbUsedMiB;
  assert.equal(used(0), Math.round(a100.fbTotalMiB * MEMORY_LEAK.startFraction));
  assert.equal(
    used(60),
    Math.round(a100.fbTotalMiB * (MEMORY_LEAK.startFraction + MEMORY_LEAK.fractionPerMinute)),
  );
  assert.ok(Math.abs(used(120) - used(60) - (used(180) - used(120))) <= 1, 'equal growth per minute');
  assert.equal(used(3600), Math.round(a100.fbTotalMiB * MEMORY_LEAK.maxFraction));
});

test('xid: 0 until xid-at, then the code, and the engines stop', () => {
  const options = { xidCode: 48, xidAtSeconds: 90 };
  assert.equal(gpuReading('xid', 89.9, 0, a100, options).xid, 0);
  assert.ok(gpuReading('xid', 89.9, 0, a100, options).gpuUtil >= 90);
  const after = gpuReading('xid', 90, 0, a100, options);
  assert.equal(after.xid, 48);
  assert.equal(after.gpuUtil, 0);
  assert.equal(gpuReading('xid', 5000, 0, a100, options).xid, 48, 'the value stays');
});

test('overheat: GPU above 90 °C and power within 3 % of the limit', () => {
  for (const t of times) {
    const r = gpuReading('overheat', t, 4, a100);
    assert.ok(r.gpuTempC > 90, `temp ${r.gpuTempC}`);
    assert.ok(r.powerW >= 0.97 * a100.powerLimitW && r.powerW <= a100.powerLimitW, `power ${r.powerW}`);
    assert.ok(r.smClockMHz < a100.maxSmClockMHz, 'thermal slowdown lowers the SM clock');
  }
});

test('durations as written in annotations', () => {
  assert.equal(parseDurationSeconds('90s'), 90);
  assert.equal(parseDurationSeconds('2m'), 120);
  assert.equal(parseDurationSeconds('1m30s'), 90);
  assert.equal(parseDurationSeconds('1h'), 3600);
  assert.equal(parseDurationSeconds('45'), 45);
  assert.equal(parseDurationSeconds('500ms'), 0.5);
  assert.equal(parseDurationSeconds('soon'), undefined);
  assert.equal(parseDurationSeconds(''), undefined);
});

test('pod annotations choose the profile; defaults are busy, XID 79 at 1m', () => {
  assert.deepEqual(podLoad(gpuPod('p')), { profile: 'busy', options: { xidCode: 79, xidAtSeconds: 60 } });
  const annotated = gpuPod('q', {
    annotations: { [ANNOTATIONS.profile]: 'xid', [ANNOTATIONS.xidCode]: '31', [ANNOTATIONS.xidAt]: '2m' },
  });
  assert.deepEqual(podLoad(annotated), { profile: 'xid', options: { xidCode: 31, xidAtSeconds: 120 } });
  for (const profile of ['idle', 'memory-leak', 'overheat'] satisfies GpuProfile[]) {
    assert.equal(podLoad(gpuPod('r', { annotations: { [ANNOTATIONS.profile]: profile } })).profile, profile);
  }
  assert.equal(podLoad(gpuPod('s', { annotations: { [ANNOTATIONS.profile]: 'bogus' } })).profile, 'busy');
  assert.equal(ANNOTATIONS.profile, 'sandbox.ks-gpu-ml.io/gpu-profile');
});
