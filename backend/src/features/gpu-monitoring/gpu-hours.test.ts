import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleGpuHours, compactUtc, gpuHoursCsv, gpuHoursFilename } from './gpu-hours.js';
import { s } from './test-fixtures.js';

const headers = {
  group: 'Project',
  allocated: 'Allocated GPU-hours',
  utilized: 'Utilized GPU-hours',
  allocatedBy: (r: string) => `Allocated GPU-hours: ${r}`,
};

describe('assembleGpuHours', () => {
  const report = assembleGpuHours(
    {
      allocated: [
        s({ namespace: 'team-b', resource: 'nvidia_com_gpu' }, 2),
        s({ namespace: 'team-a', resource: 'nvidia_com_gpu' }, 1.5),
        s({ namespace: 'team-a', resource: 'nvidia_com_mig_1g_10gb' }, 0.5),
      ],
      utilized: [s({ namespace: 'team-a' }, 1.25), s({ namespace: '=cmd' }, 0.1)],
    },
    { start: 0, end: 3600, groupBy: 'namespace' },
  );

  it('sums allocated hours per group over resources, joins utilized hours, and totals both', () => {
    assert.deepEqual(report.rows[1], {
      namespace: 'team-a',
      allocatedByResource: { 'nvidia.com/gpu': 1.5, 'nvidia.com/mig-1g.10gb': 0.5 },
      allocatedGpuHours: 2,
      utilizedGpuHours: 1.25,
    });
    assert.deepEqual(report.rows[2], {
      namespace: 'team-b',
      allocatedByResource: { 'nvidia.com/gpu': 2 },
      allocatedGpuHours: 2,
      utilizedGpuHours: 0,
    });
    assert.deepEqual(report.totals, { allocatedGpuHours: 4, utilizedGpuHours: 1.35 });
    assert.deepEqual(report.resources, ['nvidia.com/gpu', 'nvidia.com/mig-1g.10gb']);
  });

  it('writes one CSV row per group with a column per resource, defusing formula-like names', () => {
    const lines = gpuHoursCsv(report, headers)
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    assert.deepEqual(lines, [
      'Project,Allocated GPU-hours,Utilized GPU-hours,Allocated GPU-hours: nvidia.com/gpu,Allocated GPU-hours: nvidia.com/mig-1g.10gb',
      "'=cmd,0,0.1,,",
      'team-a,2,1.25,1.5,0.5',
      'team-b,2,0,2,',
      '',
    ]);
  });

  it('keeps namespaces outside any workspace as a row without a workspace', () => {
    const byWorkspace = assembleGpuHours(
      {
        allocated: [
          s({ resource: 'nvidia_com_gpu' }, 1),
          s({ workspace: 'ws', resource: 'nvidia_com_gpu' }, 2),
        ],
        utilized: [],
      },
      { start: 0, end: 60, groupBy: 'workspace' },
    );
    assert.deepEqual(
      byWorkspace.rows.map((r) => [r.workspace, r.allocatedGpuHours]),
      [
        [undefined, 1],
        ['ws', 2],
      ],
    );
  });
});

describe('assembleGpuHours by app and by user', () => {
  // Samples as the promtool test's recorded answers (gpu-hours-by-app-and-user): minutes × GPUs / 60.
  const allocated = [
    s(
      { namespace: 'lab', app_kind: 'Notebook', app: 'nb1', creator: 'alice', resource: 'nvidia_com_gpu' },
      30 / 60,
    ),
    s(
      { namespace: 'lab', app_kind: 'PyTorchJob', app: 'j1', creator: 'bob', resource: 'nvidia_com_gpu' },
      (2 * 45) / 60,
    ),
    s(
      {
        namespace: 'lab',
        app_kind: 'TrainJob',
        app: 'tj',
        creator: 'bob',
        resource: 'nvidia_com_mig_1g_10gb',
      },
      15 / 60,
    ),
    s({ namespace: 'lab', app_kind: 'Pod', app: 'bare', resource: 'nvidia_com_gpu' }, 15 / 60),
  ];
  const utilized = [s({ namespace: 'lab', app_kind: 'Notebook', app: 'nb1', creator: 'alice' }, 0.25)];

  it('by app: one row per (project, kind, name), sorted by that, with kind and name', () => {
    const report = assembleGpuHours({ allocated, utilized }, { start: 0, end: 5400, groupBy: 'app' });
    assert.deepEqual(
      report.rows.map((r) => [
        r.namespace,
        r.appKind,
        r.app,
        r.user,
        r.allocatedGpuHours,
        r.utilizedGpuHours,
      ]),
      [
        ['lab', 'Notebook', 'nb1', undefined, 0.5, 0.25],
        ['lab', 'Pod', 'bare', undefined, 0.25, 0],
        ['lab', 'PyTorchJob', 'j1', undefined, 1.5, 0],
        ['lab', 'TrainJob', 'tj', undefined, 0.25, 0],
      ],
    );
    assert.deepEqual(report.totals, { allocatedGpuHours: 2.5, utilizedGpuHours: 0.25 });
    const csv = gpuHoursCsv(report, { ...headers, group: 'App', project: 'Project', kind: 'Kind' })
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    assert.deepEqual(csv.slice(0, 3), [
      'Project,Kind,App,Allocated GPU-hours,Utilized GPU-hours,Allocated GPU-hours: nvidia.com/gpu,Allocated GPU-hours: nvidia.com/mig-1g.10gb',
      'lab,Notebook,nb1,0.5,0.25,0.5,',
      'lab,Pod,bare,0.25,0,0.25,',
    ]);
  });

  it('by user: one row per creator summing their apps, and one without a user for apps without a creator', () => {
    const byUser = (samples: typeof allocated) =>
      samples.map((x) => {
        // The user query groups by creator only: the recorded answer keeps no app labels.
        const { namespace: _n, app_kind: _k, app: _a, ...metric } = x.metric;
        return { ...x, metric };
      });
    const report = assembleGpuHours(
      { allocated: byUser(allocated), utilized: byUser(utilized) },
      { start: 0, end: 5400, groupBy: 'user' },
    );
    assert.deepEqual(
      report.rows.map((r) => [r.user, r.allocatedGpuHours, r.allocatedByResource, r.utilizedGpuHours]),
      [
        [undefined, 0.25, { 'nvidia.com/gpu': 0.25 }, 0],
        ['alice', 0.5, { 'nvidia.com/gpu': 0.5 }, 0.25],
        ['bob', 1.75, { 'nvidia.com/gpu': 1.5, 'nvidia.com/mig-1g.10gb': 0.25 }, 0],
      ],
    );
    const csv = gpuHoursCsv(report, { ...headers, group: 'User' })
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    assert.equal(
      csv[0],
      'User,Allocated GPU-hours,Utilized GPU-hours,Allocated GPU-hours: nvidia.com/gpu,Allocated GPU-hours: nvidia.com/mig-1g.10gb',
    );
    assert.equal(csv[3], 'bob,1.75,0,1.5,0.25');
  });
});

describe('gpuHoursFilename', () => {
  it('names scope and range in compact UTC', () => {
    assert.equal(compactUtc(1_700_000_000.9), '20231114T221320Z');
    assert.equal(
      gpuHoursFilename('ws-alpha', 1_700_000_000, 1_700_003_600),
      'gpu-hours-ws-alpha-20231114T221320Z-20231114T231320Z.csv',
    );
  });
});
