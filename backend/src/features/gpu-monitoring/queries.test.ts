// Exact PromQL per scheme variant (issue requirement): the strings are the contract with Prometheus,
// checked against a real one in tests/integration/gpu-monitoring.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SCHEME, exporterMatchers, type LabelScheme } from './labels.js';
import {
  clusterSummaryQueries,
  gpuHoursQueries,
  gpuTablePageQueries,
  gpuTableQueries,
  idleAllocatedQuery,
  metricQuery,
  namespaceViewQueries,
  nodeTableQueries,
  timeSeriesQuery,
  topNQuery,
  workloadViewQueries,
  workspaceViewQueries,
} from './queries.js';

// The exact strings below leave out the exporter's job matcher (it is the same on every DCGM selector);
// 'every DCGM selector is pinned to the exporter's job' checks it on every query with the default scheme.
const released: LabelScheme = { ...DEFAULT_SCHEME, exporter: [] };
const master: LabelScheme = { ...released, hostLabel: 'hostname' };
const exported: LabelScheme = { ...released, hostLabel: 'hostname', workload: 'exported' };
const v3Counters: LabelScheme = { ...released, utilization: { gpuUtil: true, grEngineActive: false } };
const migOnly: LabelScheme = { ...released, utilization: { gpuUtil: false, grEngineActive: true } };
const noKsm: LabelScheme = { ...released, kubeStateMetrics: false };

const KSM = 'kube_pod_container_resource_requests{resource=~"nvidia_com_gpu|nvidia_com_mig_.+"}';
const KSM_EXPORTED = `label_replace(label_replace(${KSM}, "exported_namespace", "$1", "namespace", "(.+)"), "exported_pod", "$1", "pod", "(.+)")`;

describe('cluster summary', () => {
  it('released dcgm-exporter', () => {
    assert.deepEqual(clusterSummaryQueries(released), {
      devices: 'count by (modelName, GPU_I_PROFILE) (DCGM_FI_DEV_FB_USED)',
      allocated: `count by (modelName, GPU_I_PROFILE) ((DCGM_FI_DEV_FB_USED{pod!=""} and on (namespace, pod) ${KSM}))`,
      busy: 'count by (modelName, GPU_I_PROFILE) ((DCGM_FI_PROF_GR_ENGINE_ACTIVE or DCGM_FI_DEV_GPU_UTIL / 100) >= 0.05)',
      idleAllocated:
        'count by (modelName, GPU_I_PROFILE) (max by (Hostname, gpu, UUID, GPU_I_PROFILE, GPU_I_ID, modelName, namespace, pod, container) (' +
        '((max_over_time(DCGM_FI_PROF_GR_ENGINE_ACTIVE[30m]) or max_over_time(DCGM_FI_DEV_GPU_UTIL[30m]) / 100) < 0.05' +
        ' and on (UUID, GPU_I_ID, namespace, pod) DCGM_FI_DEV_FB_USED{pod!=""}' +
        ' and on (UUID, GPU_I_ID, namespace, pod) DCGM_FI_DEV_FB_USED{pod!=""} offset 30m' +
        ` and on (namespace, pod) ${KSM})))`,
      requestedByResource:
        `sum by (resource) (${KSM} * on (namespace, pod) group_left () ` +
        '(max by (namespace, pod) (kube_pod_status_phase{phase="Running"}) == 1))',
      allocatableByResource:
        'sum by (resource) (kube_node_status_allocatable{resource=~"nvidia_com_gpu|nvidia_com_mig_.+"})',
    });
  });
  it('tenants: only their namespaces, no cluster capacity', () => {
    const q = clusterSummaryQueries(released, { scope: ['team-b', 'team-a'] });
    assert.equal(
      q.devices,
      `count by (modelName, GPU_I_PROFILE) ((DCGM_FI_DEV_FB_USED{namespace=~"team-a|team-b", pod!=""} and on (namespace, pod) kube_pod_container_resource_requests{resource=~"nvidia_com_gpu|nvidia_com_mig_.+", namespace=~"team-a|team-b"}))`,
    );
    assert.equal(q.allocatableByResource, undefined);
    assert.match(q.requestedByResource, /namespace=~"team-a\|team-b"/);
  });
});

describe('idle-allocated GPUs', () => {
  it('exported labels, lowercase hostname, escaped allow-list', () => {
    assert.equal(
      idleAllocatedQuery(exported, { scope: ['a', 'b.c'], idle: { windowSeconds: 60, threshold: 0.02 } }),
      'max by (hostname, gpu, UUID, GPU_I_PROFILE, GPU_I_ID, modelName, exported_namespace, exported_pod, exported_container) (' +
        '((max_over_time(DCGM_FI_PROF_GR_ENGINE_ACTIVE{exported_namespace=~"a|b\\\\.c"}[1m]) or max_over_time(DCGM_FI_DEV_GPU_UTIL{exported_namespace=~"a|b\\\\.c"}[1m]) / 100) < 0.02' +
        ' and on (UUID, GPU_I_ID, exported_namespace, exported_pod) DCGM_FI_DEV_FB_USED{exported_namespace=~"a|b\\\\.c", exported_pod!=""}' +
        ' and on (UUID, GPU_I_ID, exported_namespace, exported_pod) DCGM_FI_DEV_FB_USED{exported_namespace=~"a|b\\\\.c", exported_pod!=""} offset 1m' +
        ' and on (exported_namespace, exported_pod) label_replace(label_replace(kube_pod_container_resource_requests{resource=~"nvidia_com_gpu|nvidia_com_mig_.+", namespace=~"a|b\\\\.c"}, "exported_namespace", "$1", "namespace", "(.+)"), "exported_pod", "$1", "pod", "(.+)")))',
    );
  });

  const ruled: LabelScheme = { ...released, recordingRules: true };
  it('reads the recording rule when it is loaded and the idle definition is its own', () => {
    assert.equal(
      idleAllocatedQuery(ruled, { node: 'n1', namespace: 'team-a' }),
      'max by (Hostname, gpu, UUID, GPU_I_PROFILE, GPU_I_ID, modelName, namespace, pod, container) (' +
        'label_replace(gpu_pod:dcgm_idle_allocated:max30m{node="n1", namespace="team-a"}, "Hostname", "$1", "node", "(.+)"))',
    );
  });
  it("relabels the recorded series to the scheme, so joins and readers see the raw query's labels", () => {
    assert.equal(
      idleAllocatedQuery({ ...exported, recordingRules: true }, { scope: ['a'] }),
      'max by (hostname, gpu, UUID, GPU_I_PROFILE, GPU_I_ID, modelName, exported_namespace, exported_pod, exported_container) (' +
        'label_replace(label_replace(label_replace(label_replace(gpu_pod:dcgm_idle_allocated:max30m{namespace="a"}, ' +
        '"hostname", "$1", "node", "(.+)"), "exported_namespace", "$1", "namespace", "(.+)"), ' +
        '"exported_pod", "$1", "pod", "(.+)"), "exported_container", "$1", "container", "(.+)"))',
    );
  });
  it('computes from raw series for any other idle definition, rules or not', () => {
    const other = { idle: { windowSeconds: 3600, threshold: 0.05 } };
    assert.equal(idleAllocatedQuery(ruled, other), idleAllocatedQuery(released, other));
    assert.match(idleAllocatedQuery(ruled, other), /max_over_time\(DCGM_FI_PROF_GR_ENGINE_ACTIVE\[1h\]\)/);
    assert.doesNotMatch(idleAllocatedQuery(released), /gpu_pod:/);
  });
});

describe('tables', () => {
  it('nodes table, dcgm-exporter master (hostname)', () => {
    const q = nodeTableQueries(master);
    assert.equal(q.devices, 'count by (hostname) (DCGM_FI_DEV_FB_USED)');
    assert.equal(
      q.utilization,
      'avg by (hostname) ((DCGM_FI_PROF_GR_ENGINE_ACTIVE or DCGM_FI_DEV_GPU_UTIL / 100))',
    );
    assert.equal(q.memoryUsedBytes, 'sum by (hostname) (DCGM_FI_DEV_FB_USED) * 1048576');
    assert.equal(
      q.memoryTotalBytes,
      'sum by (hostname) ({__name__=~"DCGM_FI_DEV_FB_FREE|DCGM_FI_DEV_FB_RESERVED|DCGM_FI_DEV_FB_USED"}) * 1048576',
    );
    assert.equal(q.powerWatts, 'sum by (hostname) (DCGM_FI_DEV_POWER_USAGE)');
    assert.equal(q.temperatureC, 'max by (hostname) (DCGM_FI_DEV_GPU_TEMP)');
    assert.equal(
      q.allocated,
      `count by (hostname) ((DCGM_FI_DEV_FB_USED{pod!=""} and on (namespace, pod) ${KSM}))`,
    );
    assert.equal(q.xidDevices, 'count by (hostname) (DCGM_FI_DEV_XID_ERRORS != 0)');
    assert.match(q.idleAllocated, /^count by \(hostname\) \(max by \(hostname, gpu, /);
  });
  it('GPU cards table on one node with 3.x counters (GPU_UTIL only)', () => {
    const D = 'Hostname, gpu, UUID, GPU_I_PROFILE, GPU_I_ID, modelName';
    assert.deepEqual(gpuTableQueries(v3Counters, { node: 'gpu-node-0' }), {
      utilization: `avg by (${D}) ((DCGM_FI_DEV_GPU_UTIL{Hostname="gpu-node-0"} / 100))`,
      memoryUsedBytes: `sum by (${D}) (DCGM_FI_DEV_FB_USED{Hostname="gpu-node-0"}) * 1048576`,
      memoryTotalBytes: `sum by (${D}) ({__name__=~"DCGM_FI_DEV_FB_FREE|DCGM_FI_DEV_FB_RESERVED|DCGM_FI_DEV_FB_USED", Hostname="gpu-node-0"}) * 1048576`,
      powerWatts: `sum by (${D}) (DCGM_FI_DEV_POWER_USAGE{Hostname="gpu-node-0"})`,
      temperatureC: `max by (${D}) (DCGM_FI_DEV_GPU_TEMP{Hostname="gpu-node-0"})`,
      tensorActive: `avg by (${D}) (DCGM_FI_PROF_PIPE_TENSOR_ACTIVE{Hostname="gpu-node-0"})`,
      xid: `max by (${D}, err_code, err_msg) (DCGM_FI_DEV_XID_ERRORS{Hostname="gpu-node-0"} != 0)`,
      holders: `count by (${D}, namespace, pod, container) ((DCGM_FI_DEV_FB_USED{Hostname="gpu-node-0", pod!=""} and on (namespace, pod) ${KSM}))`,
    });
  });
  it('a page read page-first: the index holds what sorts and filters, the rest asks only the page UUIDs', () => {
    const D = 'Hostname, gpu, UUID, GPU_I_PROFILE, GPU_I_ID, modelName';
    const plain = gpuTablePageQueries(released, {}, {});
    assert.deepEqual(plain.index, {
      memoryUsedBytes: `sum by (${D}) (DCGM_FI_DEV_FB_USED) * 1048576`,
      xid: `max by (${D}, err_code, err_msg) (DCGM_FI_DEV_XID_ERRORS != 0)`,
    });
    const filtered = gpuTablePageQueries(
      released,
      { scope: ['team-a'] },
      { sortBy: 'utilization', held: true, health: 'hot' },
    );
    assert.deepEqual(Object.keys(filtered.index).sort(), [
      'holders',
      'memoryUsedBytes',
      'temperatureC',
      'utilization',
      'xid',
    ]);
    const page = filtered.page(['GPU-b', 'GPU-a.1', 'GPU-b']);
    assert.deepEqual(Object.keys(page).sort(), ['memoryTotalBytes', 'powerWatts', 'tensorActive']);
    // The UUID list is deduplicated, sorted and regex-escaped; kube-state-metrics (the holder join) never gets it.
    assert.equal(
      page.powerWatts,
      `sum by (${D}) ((DCGM_FI_DEV_POWER_USAGE{UUID=~"GPU-a\\\\.1|GPU-b", namespace="team-a", pod!=""} ` +
        `and on (namespace, pod) kube_pod_container_resource_requests{resource=~"nvidia_com_gpu|nvidia_com_mig_.+", namespace="team-a"}))`,
    );
    assert.equal(
      gpuTablePageQueries(released, {}, { sortBy: 'node' }).page(['GPU-1']).temperatureC,
      `max by (${D}) (DCGM_FI_DEV_GPU_TEMP{UUID="GPU-1"})`,
    );
  });
  it('a UUID list is a filter: node figures for a few GPUs never come from the whole-cluster rules', () => {
    const rules: LabelScheme = { ...released, recordingRules: true };
    assert.match(metricQuery(rules, 'utilization', 'node'), /^max by \(Hostname\) \(label_replace\(/);
    assert.equal(
      metricQuery(rules, 'utilization', 'node', { uuids: ['GPU-1'] }),
      'avg by (Hostname) ((DCGM_FI_PROF_GR_ENGINE_ACTIVE{UUID="GPU-1"} or DCGM_FI_DEV_GPU_UTIL{UUID="GPU-1"} / 100))',
    );
  });
  it('MIG-only clusters read GR_ENGINE_ACTIVE alone', () => {
    assert.equal(
      metricQuery(migOnly, 'utilization', 'node'),
      'avg by (Hostname) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)',
    );
  });
  it('label values are escaped, never spliced', () => {
    assert.equal(
      metricQuery(released, 'devices', 'gpu', { uuid: 'GPU-"x"\\\n' }),
      'count by (Hostname, gpu, UUID, GPU_I_PROFILE, GPU_I_ID, modelName) (DCGM_FI_DEV_FB_USED{UUID="GPU-\\"x\\"\\\\\\n"})',
    );
  });
});

describe('namespace, workspace and workload views', () => {
  it('namespace view for a tenant', () => {
    const q = namespaceViewQueries(released, { scope: ['team-a', 'team-b'] });
    const ksmScoped =
      'kube_pod_container_resource_requests{resource=~"nvidia_com_gpu|nvidia_com_mig_.+", namespace=~"team-a|team-b"}';
    assert.equal(
      q.devices,
      `count by (namespace) ((DCGM_FI_DEV_FB_USED{namespace=~"team-a|team-b", pod!=""} and on (namespace, pod) ${ksmScoped}))`,
    );
    assert.equal(
      q.utilization,
      'avg by (namespace) (((DCGM_FI_PROF_GR_ENGINE_ACTIVE{namespace=~"team-a|team-b", pod!=""} or DCGM_FI_DEV_GPU_UTIL{namespace=~"team-a|team-b", pod!=""} / 100)' +
        ` and on (namespace, pod) ${ksmScoped}))`,
    );
    assert.equal(
      q.requested,
      `sum by (namespace, resource) (${ksmScoped} * on (namespace, pod) group_left () (max by (namespace, pod) (kube_pod_status_phase{phase="Running"}) == 1))`,
    );
  });
  it('workspace view joins kube_namespace_labels on the scheme namespace label', () => {
    const q = workspaceViewQueries(exported);
    const map =
      'max by (exported_namespace, workspace) (label_replace(label_replace(kube_namespace_labels{label_kubesphere_io_workspace!=""}, ' +
      '"workspace", "$1", "label_kubesphere_io_workspace", "(.+)"), "exported_namespace", "$1", "namespace", "(.+)"))';
    assert.equal(
      q.devices,
      `count by (workspace) ((DCGM_FI_DEV_FB_USED{exported_pod!=""} and on (exported_namespace, exported_pod) ${KSM_EXPORTED}) * on (exported_namespace) group_left (workspace) ${map})`,
    );
    assert.equal(
      q.requested,
      `sum by (workspace, resource) ((${KSM} * on (namespace, pod) group_left () (max by (namespace, pod) (kube_pod_status_phase{phase="Running"}) == 1))` +
        ' * on (namespace) group_left (workspace) max by (namespace, workspace) (label_replace(kube_namespace_labels{label_kubesphere_io_workspace!=""}, "workspace", "$1", "label_kubesphere_io_workspace", "(.+)")))',
    );
  });
  it('workload view without kube-state-metrics trusts the pod labels', () => {
    const {
      requested: _r,
      sharedOnDevice: _d,
      sharedOnNode: _n,
      hamiUtilization: _h,
      ...dcgm
    } = workloadViewQueries(noKsm, { namespace: 'team-a' });
    const unlessShared = ` unless on (namespace, pod, container) ${_d})`;
    assert.deepEqual(dcgm, {
      devices: 'count by (namespace, pod, container) (DCGM_FI_DEV_FB_USED{namespace="team-a", pod!=""})',
      utilization:
        '(avg by (namespace, pod, container) ((DCGM_FI_PROF_GR_ENGINE_ACTIVE{namespace="team-a", pod!=""} or DCGM_FI_DEV_GPU_UTIL{namespace="team-a", pod!=""} / 100))' +
        unlessShared,
      memoryUsedBytes:
        'sum by (namespace, pod, container) (DCGM_FI_DEV_FB_USED{namespace="team-a", pod!=""}) * 1048576',
      powerWatts: 'sum by (namespace, pod, container) (DCGM_FI_DEV_POWER_USAGE{namespace="team-a", pod!=""})',
      tensorActive:
        '(avg by (namespace, pod, container) (DCGM_FI_PROF_PIPE_TENSOR_ACTIVE{namespace="team-a", pod!=""})' +
        unlessShared,
    });
  });
  it('workload view: requests, and which containers hold shared GPUs (ADR 0015)', () => {
    const q = workloadViewQueries(exported, { scope: ['team-a'], pod: 'p' });
    const ksmPod = 'resource=~"nvidia_com_gpu|nvidia_com_mig_.+", namespace="team-a", pod="p"';
    assert.equal(
      q.requested,
      `sum by (namespace, pod, container, resource) (kube_pod_container_resource_requests{${ksmPod}} * on (namespace, pod) group_left () (max by (namespace, pod) (kube_pod_status_phase{phase="Running"}) == 1))`,
    );
    // Every holder of a device counts (another tenant's pod makes it shared too); only the caller's are named.
    assert.equal(
      q.sharedOnDevice,
      'count by (exported_namespace, exported_pod, exported_container) (DCGM_FI_DEV_FB_USED{exported_namespace="team-a", exported_pod="p", exported_pod!=""}' +
        ' and on (UUID, GPU_I_ID) (count by (UUID, GPU_I_ID) (count by (UUID, GPU_I_ID, exported_namespace, exported_pod) (DCGM_FI_DEV_FB_USED{exported_pod!=""})) > 1))',
    );
    assert.equal(
      q.sharedOnNode,
      `count by (namespace, pod, container) (kube_pod_container_resource_requests{${ksmPod}} and on (node) ` +
        '(kube_node_status_allocatable{resource=~"nvidia_com_gpucores|nvidia_com_gpumem"} or on (node) kube_node_labels{label_nvidia_com_gpu_replicas!~"|0|1"}))',
    );
    assert.equal(
      q.hamiUtilization,
      'avg by (namespace, pod, container) (hami_container_device_utilization_ratio{job="hami-device-plugin-monitor", namespace="team-a", pod="p"})',
    );
  });
  it('an empty allow-list matches nothing', () => {
    assert.equal(
      metricQuery(released, 'devices', 'namespace', { scope: [] }),
      'count by (namespace) ((DCGM_FI_DEV_FB_USED{namespace="", namespace!="", pod!=""} and on (namespace, pod) ' +
        'kube_pod_container_resource_requests{resource=~"nvidia_com_gpu|nvidia_com_mig_.+", namespace="", namespace!=""}))',
    );
  });
});

describe('top-N and time series', () => {
  it('top-N workloads by utilization averaged over an hour', () => {
    assert.equal(
      topNQuery(released, 'utilization', 'workload', 5, { windowSeconds: 3600 }),
      'topk(5, (avg by (namespace, pod, container) (((avg_over_time(DCGM_FI_PROF_GR_ENGINE_ACTIVE{pod!=""}[1h]) or avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[1h]) / 100)' +
        ` and on (namespace, pod) ${KSM}))` +
        // holders of a device several pods hold get no device-level figure (ADR 0015)
        ' unless on (namespace, pod, container) count by (namespace, pod, container) (DCGM_FI_DEV_FB_USED{pod!=""}' +
        ' and on (UUID, GPU_I_ID) (count by (UUID, GPU_I_ID) (count by (UUID, GPU_I_ID, namespace, pod) (DCGM_FI_DEV_FB_USED{pod!=""})) > 1))))',
    );
    assert.throws(() => topNQuery(released, 'utilization', 'node', 0), RangeError);
  });
  it('framebuffer total ignores the window (a range function over three families would collide)', () => {
    assert.equal(
      topNQuery(released, 'memoryTotalBytes', 'node', 3, { windowSeconds: 60 }),
      'topk(3, sum by (Hostname) ({__name__=~"DCGM_FI_DEV_FB_FREE|DCGM_FI_DEV_FB_RESERVED|DCGM_FI_DEV_FB_USED"}) * 1048576)',
    );
  });
  it('a 6-hour chart gets a 120 s step and aligned bounds', () => {
    assert.deepEqual(
      timeSeriesQuery(released, 'memoryTotalBytes', 'cluster', {
        startSeconds: 1000,
        endSeconds: 1000 + 6 * 3600,
      }),
      {
        query:
          'sum ({__name__=~"DCGM_FI_DEV_FB_FREE|DCGM_FI_DEV_FB_RESERVED|DCGM_FI_DEV_FB_USED"}) * 1048576',
        step: 120,
        start: 960,
        end: 22_680,
      },
    );
  });
});

describe('GPU-hours from recording rules', () => {
  it('by namespace over 90 minutes (the promtool test evaluates this exact string)', () => {
    assert.deepEqual(gpuHoursQueries('namespace', { startSeconds: 0, endSeconds: 5400 }), {
      allocated: 'sum by (namespace, resource) (sum_over_time(namespace:gpu_requested:sum[90m])) * 60 / 3600',
      utilized: 'sum by (namespace) (sum_over_time(namespace:dcgm_gpus_utilized:sum[90m])) * 60 / 3600',
      time: 5400,
    });
  });
  it('by workspace over 7 days for a tenant', () => {
    const end = 1_800_000_000;
    assert.deepEqual(
      gpuHoursQueries('workspace', { startSeconds: end - 7 * 86_400, endSeconds: end }, { scope: ['x'] }),
      {
        allocated:
          'sum by (workspace, resource) (sum_over_time(namespace:gpu_requested:sum{namespace="x"}[7d])) * 60 / 3600',
        utilized:
          'sum by (workspace) (sum_over_time(namespace:dcgm_gpus_utilized:sum{namespace="x"}[7d])) * 60 / 3600',
        time: end,
      },
    );
  });
});

describe('whole-cluster views read the recording rules when the probe found them', () => {
  const ruled: LabelScheme = { ...released, recordingRules: true };
  it('the summary counts per model from the model rules; requests and allocatable stay kube-state-metrics', () => {
    const q = clusterSummaryQueries(ruled);
    assert.equal(q.devices, 'sum by (modelName, GPU_I_PROFILE) (model:dcgm_gpus:count)');
    assert.equal(q.allocated, 'sum by (modelName, GPU_I_PROFILE) (model:dcgm_gpus_allocated:count)');
    assert.equal(q.busy, 'sum by (modelName, GPU_I_PROFILE) (model:dcgm_gpus_busy:count)');
    assert.equal(q.idleAllocated, 'sum by (modelName, GPU_I_PROFILE) (model:dcgm_gpus_idle_allocated:count)');
    assert.equal(q.requestedByResource, clusterSummaryQueries(released).requestedByResource);
    assert.equal(q.allocatableByResource, clusterSummaryQueries(released).allocatableByResource);
  });
  it('a tenant scope or a node counts from raw series, reading only idle GPUs from their rule', () => {
    for (const options of [{ scope: ['a'] }, { node: 'n1' }]) {
      const { idleAllocated, ...counts } = clusterSummaryQueries(ruled, options);
      const { idleAllocated: rawIdle, ...rawCounts } = clusterSummaryQueries(released, options);
      assert.deepEqual(counts, rawCounts);
      assert.match(idleAllocated, /gpu_pod:dcgm_idle_allocated:max30m/);
      assert.doesNotMatch(rawIdle, /gpu_pod:/);
    }
  });
  it('another idle definition is computed from raw series throughout', () => {
    for (const idle of [
      { windowSeconds: 600, threshold: 0.05 },
      { windowSeconds: 1800, threshold: 0.1 },
    ]) {
      assert.deepEqual(clusterSummaryQueries(ruled, { idle }), clusterSummaryQueries(released, { idle }));
      assert.deepEqual(
        nodeTableQueries(ruled, { idle }).idleAllocated,
        nodeTableQueries(released, { idle }).idleAllocated,
      );
    }
  });
  it('node and cluster aggregates, relabelled to the scheme’s host label', () => {
    assert.equal(
      metricQuery(ruled, 'utilization', 'node'),
      'max by (Hostname) (label_replace(node:dcgm_utilization:avg, "Hostname", "$1", "node", "(.+)"))',
    );
    assert.equal(metricQuery(ruled, 'devices', 'cluster'), 'max (cluster:dcgm_gpus:count)');
    assert.equal(
      nodeTableQueries({ ...master, recordingRules: true }).idleAllocated,
      'max by (hostname) (label_replace(node:dcgm_gpus_idle_allocated:count, "hostname", "$1", "node", "(.+)"))',
    );
  });
  it('what no rule records, a window, or a filter stays raw', () => {
    assert.equal(metricQuery(ruled, 'temperatureC', 'node'), metricQuery(released, 'temperatureC', 'node'));
    assert.equal(metricQuery(ruled, 'utilization', 'gpu'), metricQuery(released, 'utilization', 'gpu'));
    const windowed = { windowSeconds: 3600 };
    assert.equal(
      metricQuery(ruled, 'utilization', 'node', windowed),
      metricQuery(released, 'utilization', 'node', windowed),
    );
    const filtered = { node: 'n1' };
    assert.equal(
      metricQuery(ruled, 'utilization', 'node', filtered),
      metricQuery(released, 'utilization', 'node', filtered),
    );
  });
  it('a chart over recorded series steps no finer than the rule interval', () => {
    const hour = { startSeconds: 0, endSeconds: 3600 };
    assert.equal(timeSeriesQuery(released, 'utilization', 'node', hour).step, 15);
    assert.equal(timeSeriesQuery(ruled, 'utilization', 'node', hour).step, 30);
    assert.equal(timeSeriesQuery(ruled, 'temperatureC', 'node', hour).step, 15);
  });
});

/**
 * Every dcgm-exporter selector in `promql` (exact names and the `{__name__=~"DCGM_…"}` form), each with its
 * matcher list (empty when the selector has no braces).
 */
function dcgmSelectors(promql: string): { selector: string; matchers: string }[] {
  const out: { selector: string; matchers: string }[] = [];
  for (const m of promql.matchAll(/\{__name__=~"DCGM_[^"]*"([^}]*)\}|\bDCGM_FI_[A-Z_]+(?:\{([^}]*)\})?/g)) {
    out.push({ selector: m[0], matchers: m[1] ?? m[2] ?? '' });
  }
  return out;
}

describe('every DCGM selector is pinned to the exporter’s job (ADR 0015)', () => {
  const pinned = (promql: string, job: string) => {
    const selectors = dcgmSelectors(promql);
    for (const { selector, matchers } of selectors)
      assert.ok(matchers.includes(`job="${job}"`), `${selector} in ${promql}`);
    return selectors.length;
  };
  const everyQuery = (scheme: LabelScheme): string[] => {
    const options = [{}, { scope: ['team-a'] }, { node: 'n1' }, { namespace: 'team-a', pod: 'p' }];
    const levels = ['cluster', 'node', 'gpu', 'namespace', 'workspace', 'workload'] as const;
    const metrics = [
      'devices',
      'utilization',
      'tensorActive',
      'memoryUsedBytes',
      'memoryTotalBytes',
    ] as const;
    return options.flatMap((o) => [
      ...Object.values(clusterSummaryQueries(scheme, o)),
      ...Object.values(nodeTableQueries(scheme, o)),
      ...Object.values(gpuTableQueries(scheme, o)),
      ...Object.values(namespaceViewQueries(scheme, o)),
      ...Object.values(workspaceViewQueries(scheme, o)),
      ...Object.values(workloadViewQueries(scheme, o)),
      idleAllocatedQuery(scheme, { ...o, idle: { windowSeconds: 600, threshold: 0.1 } }),
      ...metrics.flatMap((metric) => [
        ...levels.map((level) => metricQuery(scheme, metric, level, { ...o, windowSeconds: 3600 })),
        topNQuery(scheme, metric, 'workload', 5, o),
        timeSeriesQuery(scheme, metric, 'node', { startSeconds: 0, endSeconds: 3600 }, o).query,
      ]),
    ]);
  };

  for (const [name, scheme] of [
    ['plain labels', DEFAULT_SCHEME],
    ['exported labels', { ...DEFAULT_SCHEME, workload: 'exported', hostLabel: 'hostname' }],
    [
      '3.x counters, no kube-state-metrics',
      { ...DEFAULT_SCHEME, utilization: { gpuUtil: true, grEngineActive: false }, kubeStateMetrics: false },
    ],
  ] as [string, LabelScheme][]) {
    it(`every query under ${name}`, () => {
      const count = everyQuery(scheme)
        .filter((q): q is string => typeof q === 'string')
        .reduce((n, q) => n + pinned(q, 'nvidia-dcgm-exporter'), 0);
      assert.ok(count > 100, `checked ${count} selectors`);
    });
  }

  it('a configured job replaces the default', () => {
    const scheme: LabelScheme = { ...DEFAULT_SCHEME, exporter: exporterMatchers('dcgm "x"') };
    assert.ok(pinned(metricQuery(scheme, 'memoryTotalBytes', 'node'), 'dcgm \\"x\\"') > 0);
    assert.doesNotMatch(metricQuery(scheme, 'utilization', 'gpu'), /nvidia-dcgm-exporter/);
  });

  it('the selector finder sees unpinned selectors (so the checks above can fail)', () => {
    const unpinned = { ...DEFAULT_SCHEME, exporter: [] };
    assert.throws(() => pinned(metricQuery(unpinned, 'memoryTotalBytes', 'node'), 'nvidia-dcgm-exporter'));
    assert.throws(() => pinned(metricQuery(unpinned, 'utilization', 'gpu'), 'nvidia-dcgm-exporter'));
  });
});
