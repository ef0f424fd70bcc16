import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GpuCardQuery } from '@ks-gpu-ml/contracts';
import { appErrorOf } from '../../core/test-errors.js';
import { createTranslator, loadCatalogues } from '../../core/i18n.js';
import { RawReply } from '../../core/mount.js';
import type { MonitoringIo } from './io.js';
import { gpuTablePageQueries, gpuTableQueries, type RangeQuery } from './queries.js';
import type { Sample } from './samples.js';
import { createGpuMonitoringService } from './service.js';
import { assembleGpuCards, selectCards } from './tables.js';
import { cardFleet, PLAIN, s } from './test-fixtures.js';

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

  it('GPU-hours by app in a workspace: the per-app series scoped to its projects, CSV with project, kind, app', async () => {
    const { io, asked } = fakeIo(
      (q) =>
        q.includes('app:gpu_requested:sum')
          ? [s({ namespace: 'a', app_kind: 'Notebook', app: 'nb1', resource: 'nvidia_com_gpu' }, 0.5)]
          : q.includes('app:dcgm_gpus_utilized:sum')
            ? [s({ namespace: 'a', app_kind: 'Notebook', app: 'nb1' }, 0.25)]
            : [],
      { a: 'ws', b: 'ws', c: 'other' },
    );
    const reply = await service(io).gpuHours(
      { kind: 'workspace', name: 'ws' },
      { start: 1_700_000_000, end: 1_700_003_600, groupBy: 'app', format: 'csv' },
      'en',
    );
    assert.ok(reply instanceof RawReply);
    assert.equal(
      String(reply.body),
      '\uFEFFProject,Kind,App,Allocated GPU-hours,Utilized GPU-hours,Allocated GPU-hours: nvidia.com/gpu\r\na,Notebook,nb1,0.5,0.25,0.5\r\n',
    );
    assert.equal(asked.length, 2);
    for (const q of asked) {
      assert.match(q, /^sum by \(namespace, app_kind, app/);
      assert.match(q, /namespace=~"a\|b"/);
    }
    const byUser = await service(
      fakeIo(() => [s({ creator: 'alice', resource: 'nvidia_com_gpu' }, 1)]).io,
    ).gpuHours({ kind: 'cluster' }, { start: 0, end: 3600, groupBy: 'user' }, 'zh');
    assert.ok(!(byUser instanceof RawReply));
    assert.deepEqual(
      byUser.rows.map((r) => [r.user, r.allocatedGpuHours]),
      [['alice', 1]],
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

  describe('GPU table pages, read page-first', () => {
    const fleet = cardFleet();
    const everyColumn = gpuTableQueries(PLAIN, {});
    const columnNamed = (q: string, queries: Record<string, string>) =>
      Object.entries(queries).find(([, text]) => text === q)?.[0] as keyof typeof fleet | undefined;
    /** Answers the table's queries from the fleet, honouring a UUID list the way Prometheus would. */
    const fleetAnswer = (q: string): Sample[] => {
      const list = /UUID=~?"([^"]*)"/.exec(q)?.[1];
      if (list === undefined) return fleet[columnNamed(q, everyColumn)!];
      const uuids = list.split('|');
      const name = columnNamed(q, gpuTableQueries(PLAIN, { uuids }))!;
      return fleet[name].filter((sample) => uuids.includes(sample.metric.UUID!));
    };
    const oneRead = (query: GpuCardQuery) => selectCards(assembleGpuCards(PLAIN, fleet), query);

    for (const query of [
      {},
      { order: 'desc', limit: 3 },
      { limit: 2, offset: 4 },
      { sortBy: 'utilization', order: 'desc', limit: 3, offset: 1 },
      { sortBy: 'temperatureC', limit: 6 },
      { held: true, limit: 1 },
      { held: false, sortBy: 'powerWatts', order: 'desc', limit: 2 },
      { health: 'ok', limit: 3, offset: 2 },
      { health: 'xid' },
    ] satisfies GpuCardQuery[]) {
      it(`${JSON.stringify(query)}: the same page as reading every column of every GPU`, async () => {
        const { io, asked } = fakeIo(fleetAnswer);
        const answer = await service(io).gpus(query);
        assert.deepEqual({ total: answer.total, items: answer.items }, oneRead(query));
        const index = gpuTablePageQueries(PLAIN, {}, query).index;
        assert.deepEqual(asked.slice(0, Object.keys(index).length), Object.values(index));
        const later = asked.slice(Object.keys(index).length);
        const uuids = [...new Set(answer.items.map((c) => c.uuid))].sort();
        assert.ok(
          later.length > 0 &&
            later.every((q) => q.includes(`UUID=~"${uuids.join('|')}"`) || q.includes(`UUID="${uuids[0]}"`)),
          later.join('\n'),
        );
      });
    }

    it('a page past the end asks only the first read', async () => {
      const { io, asked } = fakeIo(fleetAnswer);
      const answer = await service(io).gpus({ offset: 50 });
      const index = Object.values(gpuTablePageQueries(PLAIN, {}, {}).index);
      assert.deepEqual([answer.total, answer.items, asked], [8, [], index]);
    });

    it("a node's cards, and pages longer than a UUID list pays for, are one read of every column", async () => {
      for (const query of [{ node: 'gpu-node-2' }, { limit: 1000 }]) {
        const { io, asked } = fakeIo((q) => (q.includes('gpu-node-2') ? [] : fleetAnswer(q)));
        await service(io).gpus(query);
        assert.equal(asked.length, Object.keys(everyColumn).length, JSON.stringify(query));
        assert.ok(asked.every((q) => !q.includes('UUID=')));
      }
    });
  });

  it('a node without GPU series is a 404 naming it', async () => {
    const err = await appErrorOf(service(fakeIo().io).node('cpu-node', {}));
    assert.deepEqual(
      [err.statusCode, err.key, err.details.node],
      [404, 'GPU_MONITORING_NODE_NOT_FOUND', 'cpu-node'],
    );
  });
});
