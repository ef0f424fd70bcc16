import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GpuCard } from '@ks-gpu-ml/contracts';
import {
  assembleGpuCards,
  assembleIdleGpus,
  assembleNodeRows,
  completePage,
  healthOf,
  selectCards,
} from './tables.js';
import { cardFleet, EXPORTED, gpu, PLAIN, s } from './test-fixtures.js';

describe('assembleNodeRows', () => {
  it('joins the columns by node; counts default to 0, figures without series stay absent', () => {
    const rows = assembleNodeRows(PLAIN, {
      devices: [s({ Hostname: 'gpu-node-10' }, 8), s({ Hostname: 'gpu-node-2' }, 8)],
      utilization: [s({ Hostname: 'gpu-node-2' }, 0.5), s({ Hostname: 'gpu-node-10' }, 'NaN')],
      powerWatts: [s({ Hostname: 'gpu-node-2' }, 700)],
      allocated: [s({ Hostname: 'gpu-node-2' }, 3)],
      idleAllocated: [],
      xidDevices: [s({ Hostname: 'gpu-node-10' }, 1)],
    });
    assert.deepEqual(rows, [
      {
        node: 'gpu-node-2',
        devices: 8,
        utilization: 0.5,
        powerWatts: 700,
        allocated: 3,
        idleAllocated: 0,
        xidDevices: 0,
      },
      { node: 'gpu-node-10', devices: 8, allocated: 0, idleAllocated: 0, xidDevices: 1 },
    ]);
  });
});

describe('assembleGpuCards', () => {
  it('joins figures, holders and XID per device, and derives health', () => {
    const cards = assembleGpuCards(PLAIN, {
      utilization: [s(gpu('n', '0'), 0.97), s(gpu('n', '1'), 0)],
      temperatureC: [s(gpu('n', '0'), 91), s(gpu('n', '1'), 40)],
      memoryTotalBytes: [s(gpu('n', '0'), 80), s(gpu('n', '1'), 80), s(gpu('n', '2'), 80)],
      xid: [s({ ...gpu('n', '1'), err_code: '79', err_msg: 'GPU has fallen off the bus' }, 79)],
      holders: [
        s({ ...gpu('n', '0'), namespace: 'b', pod: 'p2', container: 'main' }, 1),
        s({ ...gpu('n', '0'), namespace: 'a', pod: 'p1', container: 'main' }, 1),
      ],
    });
    assert.deepEqual(
      cards.map((c) => [c.gpu, c.health, c.holders.map((h) => h.pod), c.xid?.code]),
      [
        ['0', 'hot', ['p1', 'p2'], undefined],
        ['1', 'xid', [], '79'],
        ['2', 'ok', [], undefined],
      ],
    );
    assert.equal(cards[2]!.utilization, undefined, 'no series: absent, not 0');
    assert.equal(cards[1]!.utilization, 0);
    assert.equal(cards[0]!.devices, 1);
  });

  it('reads holders from exported_* under the exported scheme', () => {
    const labels = { hostname: 'n', gpu: '0', UUID: 'GPU-0', modelName: 'A100' };
    const [card] = assembleGpuCards(EXPORTED, {
      xid: [],
      holders: [
        s(
          {
            ...labels,
            namespace: 'gpu-operator',
            pod: 'dcgm',
            exported_namespace: 'team',
            exported_pod: 'train',
          },
          1,
        ),
      ],
    });
    assert.deepEqual(card!.holders, [{ namespace: 'team', pod: 'train' }]);
    assert.equal(card!.node, 'n');
  });

  it('health: XID wins over heat; hot starts at GPU_HOT_CELSIUS', () => {
    assert.equal(healthOf({ temperatureC: 85 }), 'hot');
    assert.equal(healthOf({ temperatureC: 84 }), 'ok');
    assert.equal(healthOf({}), 'ok');
    assert.equal(healthOf({ temperatureC: 90, xid: { code: '48', message: '' } }), 'xid');
  });
});

describe('selectCards', () => {
  const card = (gpuIndex: string, extra: Partial<GpuCard>): GpuCard => ({
    node: 'n',
    gpu: gpuIndex,
    uuid: `GPU-${gpuIndex}`,
    model: 'A100',
    devices: 1,
    holders: [],
    health: 'ok',
    ...extra,
  });
  const held = [{ namespace: 'a', pod: 'p' }];
  const cards = [
    card('0', { utilization: 0.2, holders: held }),
    card('1', {}),
    card('2', { utilization: 0.9, holders: held, health: 'hot' }),
    card('10', { utilization: 0.5 }),
  ];

  it('sorts by a figure with absent figures last in both orders', () => {
    const gpus = (q: Parameters<typeof selectCards>[1]) => selectCards(cards, q).items.map((c) => c.gpu);
    assert.deepEqual(gpus({ sortBy: 'utilization' }), ['0', '10', '2', '1']);
    assert.deepEqual(gpus({ sortBy: 'utilization', order: 'desc' }), ['2', '10', '0', '1']);
    assert.deepEqual(gpus({}), ['0', '1', '2', '10'], 'default: by node and GPU index, numerically');
    assert.deepEqual(gpus({ order: 'desc' }), ['10', '2', '1', '0']);
  });

  it('filters by held and health, pages with limit/offset, and counts the matches before paging', () => {
    assert.deepEqual(
      selectCards(cards, { held: true }).items.map((c) => c.gpu),
      ['0', '2'],
    );
    assert.deepEqual(
      selectCards(cards, { held: false }).items.map((c) => c.gpu),
      ['1', '10'],
    );
    assert.deepEqual(
      selectCards(cards, { health: 'hot' }).items.map((c) => c.gpu),
      ['2'],
    );
    const page = selectCards(cards, { limit: 2, offset: 1 });
    assert.equal(page.total, 4);
    assert.deepEqual(
      page.items.map((c) => c.gpu),
      ['1', '2'],
    );
  });
});

describe('assembleIdleGpus', () => {
  it('lists each idle GPU with its holder and the holder namespace workspace', () => {
    const rows = assembleIdleGpus(
      PLAIN,
      [
        s({ ...gpu('n', '1'), namespace: 'team', pod: 'idle-two', container: 'main' }, 0),
        s({ ...gpu('n', '0'), namespace: 'team', pod: 'idle-one', container: 'main' }, 0),
        s({ ...gpu('n', '2'), namespace: 'loose', pod: 'x' }, 0),
      ],
      new Map([['team', 'ws-a']]),
    );
    assert.deepEqual(
      rows.map((r) => [r.namespace, r.pod, r.gpu, r.workspace]),
      [
        ['loose', 'x', '2', undefined],
        ['team', 'idle-one', '0', 'ws-a'],
        ['team', 'idle-two', '1', 'ws-a'],
      ],
    );
  });
});

describe('completePage', () => {
  it('completes the page cards from both reads, leaves other MIG instances out and keeps the page order', () => {
    const fleet = cardFleet();
    const index = { memoryUsedBytes: fleet.memoryUsedBytes, utilization: fleet.utilization };
    const { items } = selectCards(assembleGpuCards(PLAIN, index), {
      sortBy: 'utilization',
      order: 'desc',
      limit: 2,
      offset: 2,
    });
    // The second read asks by UUID: the MIG parent's UUID brings both instances back, only one is on the page.
    const { memoryUsedBytes: _index, utilization: _sort, ...rest } = fleet;
    const page = completePage(PLAIN, items, rest);
    assert.deepEqual(
      page.map((c) => [c.node, c.gpu, c.migInstance ?? '']),
      [
        ['gpu-node-2', '2', ''],
        ['gpu-node-10', '1', '7'],
      ],
    );
    const all = assembleGpuCards(PLAIN, fleet);
    const same = (c: GpuCard) =>
      all.find((a) => a.uuid === c.uuid && a.migInstance === c.migInstance && a.gpu === c.gpu);
    assert.deepEqual(page, page.map(same), 'each card equals its card read in one go');
    assert.deepEqual(page[1]!.holders, [{ namespace: 'team-b', pod: 'notebook', container: 'jupyter' }]);
  });
});
