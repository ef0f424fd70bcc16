import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { NotebookCullPolicy } from '@ks-gpu-ml/contracts';
import type { KubeNotebook } from '../../clients/ml-apps-kube.js';
import {
  CULL_STOP_AT_ANNOTATION,
  CULL_WARNED_ANNOTATION,
  CULLED_AT_ANNOTATION,
  cullPatch,
  cullPlan,
  cullView,
  IDLE_ALLOCATED_SERIES,
  IDLE_SINCE_ANNOTATION,
  IDLE_WINDOW_MS,
  notebookGpuCount,
} from './notebook-cull.js';
import { STOPPED_ANNOTATION } from './notebook-status.js';

const H = 3_600_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const policy: NotebookCullPolicy = { enabled: true, idleHours: 4, warnMinutes: 60 };

function nb(name: string, annotations: Record<string, string> = {}, gpus = 1): KubeNotebook {
  const amounts = { cpu: '1', memory: '1Gi', ...(gpus ? { 'nvidia.com/gpu': String(gpus) } : {}) };
  return {
    apiVersion: 'kubeflow.org/v1',
    kind: 'Notebook',
    metadata: { name, namespace: 'lab', annotations },
    spec: {
      template: {
        spec: { containers: [{ name, image: 'i', resources: { requests: amounts, limits: amounts } }] },
      },
    },
  };
}
const idle = (entries: [string, number][]) => new Map(entries);

describe('cullPlan', () => {
  it('stops only the warned notebook past its limit; the younger idle one and the busy one stay', () => {
    const notebooks = [
      nb('old', { [IDLE_SINCE_ANNOTATION]: iso(NOW - 5 * H), [CULL_WARNED_ANNOTATION]: iso(NOW - 2 * H) }),
      nb('young', { [IDLE_SINCE_ANNOTATION]: iso(NOW - 1 * H) }),
      nb('busy', { [IDLE_SINCE_ANNOTATION]: iso(NOW - 6 * H) }),
      nb('cpu', {}, 0),
    ];
    const plan = cullPlan(
      notebooks,
      idle([
        ['old-0', 1],
        ['young-0', 1],
        ['cpu-0', 1],
      ]),
      policy,
      NOW,
    );
    assert.deepEqual(plan, [
      { kind: 'stop', name: 'old', idleSince: iso(NOW - 5 * H) },
      { kind: 'clear', name: 'busy' },
    ]);
  });

  it('marks a newly idle notebook idle since the window began, and warns a lead before the limit', () => {
    assert.deepEqual(cullPlan([nb('a')], idle([['a-0', 1]]), policy, NOW), [
      { kind: 'mark-idle', name: 'a', idleSince: iso(NOW - IDLE_WINDOW_MS) },
    ]);
    const since = NOW - 3 * H;
    assert.deepEqual(
      cullPlan([nb('a', { [IDLE_SINCE_ANNOTATION]: iso(since) })], idle([['a-0', 1]]), policy, NOW),
      [{ kind: 'warn', name: 'a', idleSince: iso(since), stopAt: iso(since + 4 * H) }],
    );
  });

  it('never stops without a warning, and gives the owner the whole lead after it', () => {
    const since = NOW - 10 * H;
    // Past the limit but never warned: warned now, stopped a lead later.
    assert.deepEqual(
      cullPlan([nb('a', { [IDLE_SINCE_ANNOTATION]: iso(since) })], idle([['a-0', 1]]), policy, NOW),
      [{ kind: 'warn', name: 'a', idleSince: iso(since), stopAt: iso(NOW + H) }],
    );
    const warned = nb('a', {
      [IDLE_SINCE_ANNOTATION]: iso(since),
      [CULL_WARNED_ANNOTATION]: iso(NOW - 59 * 60_000),
    });
    assert.deepEqual(cullPlan([warned], idle([['a-0', 1]]), policy, NOW), []);
    assert.deepEqual(
      cullPlan([warned], idle([['a-0', 1]]), policy, NOW + 60_000).map((a) => a.kind),
      ['stop'],
    );
  });

  it('one working GPU of two keeps the notebook; a stopped notebook and a policy turned off clear', () => {
    const tracked = { [IDLE_SINCE_ANNOTATION]: iso(NOW - 9 * H), [CULL_WARNED_ANNOTATION]: iso(NOW - 2 * H) };
    assert.deepEqual(cullPlan([nb('two', tracked, 2)], idle([['two-0', 1]]), policy, NOW), [
      { kind: 'clear', name: 'two' },
    ]);
    assert.deepEqual(
      cullPlan([nb('two', tracked, 2)], idle([['two-0', 2]]), policy, NOW).map((a) => a.kind),
      ['stop'],
    );
    const stopped = nb('s', { ...tracked, [STOPPED_ANNOTATION]: iso(NOW - H) });
    assert.deepEqual(cullPlan([stopped], idle([['s-0', 1]]), policy, NOW), [{ kind: 'clear', name: 's' }]);
    assert.deepEqual(cullPlan([nb('a', tracked)], idle([['a-0', 1]]), { ...policy, enabled: false }, NOW), [
      { kind: 'clear', name: 'a' },
    ]);
    assert.deepEqual(cullPlan([nb('a')], idle([['a-0', 1]]), { ...policy, enabled: false }, NOW), []);
  });
});

describe('cullPatch and cullView', () => {
  it('a stop sets kubeflow-resource-stopped and culled-at and drops the idle state; the view shows it', () => {
    const patch = cullPatch({ kind: 'stop', name: 'a', idleSince: iso(NOW - 5 * H) }, NOW);
    assert.deepEqual(patch, {
      [STOPPED_ANNOTATION]: iso(NOW),
      [CULLED_AT_ANNOTATION]: iso(NOW),
      [IDLE_SINCE_ANNOTATION]: null,
      [CULL_WARNED_ANNOTATION]: null,
      [CULL_STOP_AT_ANNOTATION]: null,
    });
    const after = nb(
      'a',
      Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null)) as Record<string, string>,
    );
    assert.deepEqual(cullView(after), { culledAt: iso(NOW) });
    assert.equal(cullView(nb('b')), undefined);
    const warn = cullPatch(
      { kind: 'warn', name: 'a', idleSince: iso(NOW - 3 * H), stopAt: iso(NOW + H) },
      NOW,
    );
    assert.deepEqual(cullView(nb('a', warn as Record<string, string>)), {
      idleSince: iso(NOW - 3 * H),
      warnedAt: iso(NOW),
      stopAt: iso(NOW + H),
    });
  });

  it('counts whole GPUs and MIG instances, not CPU or memory', () => {
    assert.equal(notebookGpuCount(nb('a', {}, 2)), 2);
    assert.equal(notebookGpuCount(nb('a', {}, 0)), 0);
  });
});

describe("the idle definition is gpu-monitoring's", () => {
  it('gpu.rules.yaml records the series the culler reads, over the window it assumes', () => {
    const rules = readFileSync(
      new URL('../../../../charts/gpu-monitoring/rules/gpu.rules.yaml', import.meta.url),
      'utf8',
    );
    assert.ok(rules.includes(`- record: ${IDLE_ALLOCATED_SERIES}\n`));
    assert.ok(IDLE_ALLOCATED_SERIES.endsWith(`:max${IDLE_WINDOW_MS / 60_000}m`));
  });
});
