import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appErrorOf } from '../../platform/test-errors.js';
import { createTranslator, loadCatalogues } from '../../platform/i18n.js';
import { RawReply } from '../../platform/mount.js';
import type { MonitoringIo } from './io.js';
import type { RangeQuery } from './queries.js';
import type { Sample } from './samples.js';
import { createGpuMonitoringService } from './service.js';
import { PLAIN, s } from './test-fixtures.js';

/** A MonitoringIo that records every PromQL it is asked and answers from `answer`. */
function fakeIo(answer: (promql: string) => Sample[] = () => [], workspaces: Record<string, string> = {}) {
  const asked: string[] = [];
  const ranges: RangeQuery[] = [];
  const io: MonitoringIo = {
    instant: async (q) => (asked.push(q), answer(q)),
    instantAt: async (q) => (asked.push(q), answer(q)),
    range: async (q) => (ranges.push(q), []),
    scheme: async () => PLAIN,
    namespacesOfWorkspace: async (ws) =>
      Object.entries(workspaces)
        .filter(([, w]) => w === ws)
        .map(([ns]) => ns)
        .sort(),
    workspaces: async () => new Map(Object.entries(workspaces)),
    stop: async () => undefined,
  };
  return { io, asked, ranges };
}

const service = (io: MonitoringIo) =>
  createGpuMonitoringService({
    io,
    translate: createTranslator(loadCatalogues()),
    now: () => 1_700_000_000_000,
  });

describe('gpu-monitoring service', () => {
  it('a workspace without projects answers empty without asking Prometheus', async () => {
    const { io, asked, ranges } = fakeIo();
    const svc = service(io);
    const usage = await svc.workspaceUsage('ws-empty', {});
    assert.deepEqual(usage.totals, { workspace: 'ws-empty', devices: 0, idleAllocated: 0, requested: {} });
    assert.deepEqual([usage.rows, usage.gpus, usage.idle], [[], [], []]);
    const series = await svc.series(
      { kind: 'workspace', name: 'ws-empty' },
      { metric: 'utilization', level: 'gpu' },
    );
    assert.deepEqual(series.series, []);
    const hours = await svc.gpuHours({ kind: 'workspace', name: 'ws-empty' }, { start: 0, end: 3600 }, 'en');
    assert.deepEqual(hours, {
      start: 0,
      end: 3600,
      groupBy: 'namespace',
      rows: [],
      totals: { allocatedGpuHours: 0, utilizedGpuHours: 0 },
      resources: [],
    });
    assert.deepEqual([asked, ranges], [[], []]);
  });

  it("workspace series are bounded to the workspace's namespaces; a filter outside them is a 400", async () => {
    const { io, ranges } = fakeIo(() => [], { a: 'ws', b: 'ws', c: 'other' });
    const svc = service(io);
    await svc.series({ kind: 'workspace', name: 'ws' }, { metric: 'devices', level: 'namespace' });
    assert.match(ranges[0]!.query, /namespace=~"a\|b"/);
    assert.doesNotMatch(ranges[0]!.query, /"c"/);
    const err = await appErrorOf(
      svc.series(
        { kind: 'workspace', name: 'ws' },
        { metric: 'devices', level: 'namespace', namespace: 'c' },
      ),
    );
    assert.deepEqual([err.statusCode, err.details.field], [400, 'querystring.namespace']);
    const level = await appErrorOf(
      svc.series({ kind: 'namespace', name: 'a' }, { metric: 'devices', level: 'node' }),
    );
    assert.deepEqual([level.statusCode, level.details.field], [400, 'querystring.level']);
  });

  it('project series: the step comes from the range, and the range defaults to the last hour', async () => {
    const { io, ranges } = fakeIo();
    const answer = await service(io).series(
      { kind: 'namespace', name: 'a' },
      { metric: 'powerWatts', level: 'gpu' },
    );
    assert.equal(answer.step, 15);
    assert.ok(answer.start <= 1_700_000_000 - 3600 && answer.end >= 1_700_000_000);
    assert.match(ranges[0]!.query, /namespace="a"/);
  });

  it('GPU-hours as CSV: a download named after scope and range, headers in the caller language', async () => {
    const { io, asked } = fakeIo(
      (q) => (q.includes('gpu_requested') ? [s({ namespace: 'a', resource: 'nvidia_com_gpu' }, 2)] : []),
      { a: 'ws' },
    );
    const reply = await service(io).gpuHours(
      { kind: 'namespace', name: 'a' },
      { start: 1_700_000_000, end: 1_700_003_600, format: 'csv' },
      'zh',
    );
    assert.ok(reply instanceof RawReply);
    assert.equal(reply.contentType, 'text/csv; charset=utf-8');
    assert.equal(
      reply.headers['content-disposition'],
      'attachment; filename="gpu-hours-a-20231114T221320Z-20231114T231320Z.csv"',
    );
    assert.equal(
      String(reply.body),
      '\uFEFF项目,已分配 GPU 时,已使用 GPU 时,已分配 GPU 时：nvidia.com/gpu\r\na,2,0,2\r\n',
    );
    assert.ok(
      asked.every((q) => q.includes('namespace="a"')),
      'every GPU-hours query carries the scope',
    );
  });

  it('GPU-hours group by workspace on the cluster and by project elsewhere unless asked', async () => {
    const { io } = fakeIo();
    const svc = service(io);
    const cluster = await svc.gpuHours({ kind: 'cluster' }, { start: 0, end: 3600 }, 'en');
    const project = await svc.gpuHours({ kind: 'namespace', name: 'a' }, { start: 0, end: 3600 }, 'en');
    assert.equal((cluster as { groupBy: string }).groupBy, 'workspace');
    assert.equal((project as { groupBy: string }).groupBy, 'namespace');
  });

  it('a node without GPU series is a 404 naming it', async () => {
    const err = await appErrorOf(service(fakeIo().io).node('cpu-node', {}));
    assert.deepEqual(
      [err.statusCode, err.key, err.details.node],
      [404, 'GPU_MONITORING_NODE_NOT_FOUND', 'cpu-node'],
    );
  });
});
