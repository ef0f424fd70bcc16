import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalLabels,
  DEFAULT_SCHEME,
  detectScheme,
  exporterMatchers,
  SCHEME_PROBE_QUERY,
  schemeProbeQuery,
  type ProbeSample,
} from './labels.js';

const probe = (counts: Record<string, number>): ProbeSample[] =>
  Object.entries(counts).map(([probe, n]) => ({ metric: { probe }, value: [0, String(n)] }));

describe('SCHEME_PROBE_QUERY', () => {
  it('asks every fact in one query of exact-name counts', () => {
    assert.equal(
      SCHEME_PROBE_QUERY,
      [
        'label_replace(count(DCGM_FI_DEV_GPU_UTIL{job="nvidia-dcgm-exporter"}), "probe", "gpuUtil", "", "")',
        'or label_replace(count(DCGM_FI_PROF_GR_ENGINE_ACTIVE{job="nvidia-dcgm-exporter"}), "probe", "grEngineActive", "", "")',
        'or label_replace(count(DCGM_FI_DEV_FB_USED{job="nvidia-dcgm-exporter", Hostname!=""}), "probe", "Hostname", "", "")',
        'or label_replace(count(DCGM_FI_DEV_FB_USED{job="nvidia-dcgm-exporter", hostname!=""}), "probe", "hostname", "", "")',
        'or label_replace(count(DCGM_FI_DEV_FB_USED{job="nvidia-dcgm-exporter", exported_pod!=""}), "probe", "exportedPod", "", "")',
        'or label_replace(count(DCGM_FI_DEV_FB_USED{job="nvidia-dcgm-exporter", GPU_I_ID!=""}), "probe", "mig", "", "")',
        'or label_replace(count(DCGM_FI_DEV_FB_USED{job="nvidia-dcgm-exporter"}), "probe", "devices", "", "")',
        'or label_replace(count(kube_node_status_allocatable{resource=~"nvidia_com_gpu|nvidia_com_mig_.+"}), "probe", "kubeStateMetrics", "", "")',
        'or label_replace(count(gpu:dcgm_fb_used_bytes:max), "probe", "recordedDevices", "", "")',
      ].join('\n'),
    );
    assert.doesNotMatch(SCHEME_PROBE_QUERY, /__name__/);
  });
  it('counts dcgm series of the configured exporter job only (ADR 0015)', () => {
    const q = schemeProbeQuery(exporterMatchers('gpu-metrics'));
    assert.equal(q.match(/DCGM_FI_[A-Z_]+\{job="gpu-metrics"/g)?.length, 7);
    assert.doesNotMatch(q, /DCGM_FI_[A-Z_]+\)|nvidia-dcgm-exporter/);
    assert.equal(detectScheme([], exporterMatchers('gpu-metrics')).exporter[0], 'job="gpu-metrics"');
  });
});

describe('detectScheme', () => {
  it('released dcgm-exporter scraped with honor_labels: Hostname, plain workload labels', () => {
    const s = detectScheme(
      probe({ gpuUtil: 36, grEngineActive: 54, Hostname: 54, devices: 54, mig: 18, kubeStateMetrics: 3 }),
    );
    assert.deepEqual(s, {
      hostLabel: 'Hostname',
      workload: 'plain',
      utilization: { gpuUtil: true, grEngineActive: true },
      mig: true,
      kubeStateMetrics: true,
      dcgmSeen: true,
      recordingRules: false,
      exporter: ['job="nvidia-dcgm-exporter"'],
      hamiMonitor: ['job="hami-device-plugin-monitor"'],
    });
  });
  it('recording rules only while they record every device series, and kube-state-metrics is there', () => {
    const covered = { devices: 54, recordedDevices: 54, kubeStateMetrics: 3 };
    assert.equal(detectScheme(probe(covered)).recordingRules, true);
    // just installed or lagging: some GPUs have no recorded series yet
    assert.equal(detectScheme(probe({ ...covered, recordedDevices: 50 })).recordingRules, false);
    // two exporters during an upgrade: more raw series than GPUs
    assert.equal(detectScheme(probe({ ...covered, devices: 60 })).recordingRules, false);
    // the allocation rules join kube-state-metrics; without it they record no holder at all
    assert.equal(detectScheme(probe({ ...covered, kubeStateMetrics: 0 })).recordingRules, false);
    // nothing recorded because nothing exists
    assert.equal(detectScheme(probe({ kubeStateMetrics: 3 })).recordingRules, false);
  });
  it('dcgm-exporter master: lowercase hostname', () => {
    assert.equal(detectScheme(probe({ hostname: 8, devices: 8, gpuUtil: 8 })).hostLabel, 'hostname');
    // during a rolling upgrade the majority wins
    assert.equal(detectScheme(probe({ hostname: 3, Hostname: 5, devices: 8 })).hostLabel, 'Hostname');
  });
  it('honorLabels: false: exported_* labels as soon as one GPU is attributed', () => {
    assert.equal(detectScheme(probe({ Hostname: 8, devices: 8, exportedPod: 1 })).workload, 'exported');
  });
  it('3.x default counters (no GR_ENGINE_ACTIVE) and MIG-only clusters (no GPU_UTIL)', () => {
    assert.deepEqual(detectScheme(probe({ gpuUtil: 8, devices: 8 })).utilization, {
      gpuUtil: true,
      grEngineActive: false,
    });
    assert.deepEqual(detectScheme(probe({ grEngineActive: 14, devices: 14, mig: 14 })).utilization, {
      gpuUtil: false,
      grEngineActive: true,
    });
  });
  it('no data yet: the defaults, flagged as not seen', () => {
    assert.deepEqual(detectScheme([]), { ...DEFAULT_SCHEME, kubeStateMetrics: false });
  });
});

describe('canonicalLabels', () => {
  it('reads node/namespace/pod/container under each scheme', () => {
    const exported = { ...DEFAULT_SCHEME, hostLabel: 'hostname' as const, workload: 'exported' as const };
    const raw = {
      hostname: 'n1',
      exported_namespace: 'a',
      exported_pod: 'p',
      exported_container: 'c',
      namespace: 'gpu-operator',
    };
    assert.deepEqual(canonicalLabels(exported, raw), {
      node: 'n1',
      namespace: 'a',
      pod: 'p',
      container: 'c',
    });
    assert.deepEqual(canonicalLabels(DEFAULT_SCHEME, { Hostname: 'n2', namespace: 'b', pod: '' }), {
      node: 'n2',
      namespace: 'b',
    });
  });
});
