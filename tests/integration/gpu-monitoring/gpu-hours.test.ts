// GPU-hours from the accounting rules against the sandbox's real Prometheus: a pod holding 2 GPUs for a
// few minutes comes back as 2 × the time it ran, by namespace and by workspace, from ONE recorded series
// labelled with the workspace from its first sample on (a new namespace used to get a first sample
// without workspace - a second series - when the 1 m accounting group ran before the 30 s dcgm group
// had recorded the namespace -> workspace map). Waits for rule evaluations, never for a fixed time.
import { CoreV1Api } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ACCOUNTING_INTERVAL_SECONDS,
  gpuHoursQueries,
} from '../../../backend/src/features/gpu-monitoring/queries.js';
import { RECORDED } from '../../../backend/src/features/gpu-monitoring/recorded.js';
import { SCRAPE_INTERVAL_SECONDS } from '../../sandbox/src/monitoring.js';
import {
  adminKubeConfig,
  createTestNamespace,
  gpuPod,
  uniqueName,
  waitFor,
} from '../../sandbox/src/testing.js';
import { WaitAborted } from '../../sandbox/src/wait.js';
import { num, query, ruleGroups, type Sample } from './prometheus.js';

const GPUS = 2;
const RESOURCE = 'nvidia_com_gpu';
/** Samples to see before the pod is stopped: a few rule intervals. */
const SAMPLES = 3;
const ACCOUNTING_GROUP = 'gpu-monitoring.accounting';

const show = (rows: Sample[]): string =>
  rows.length === 0 ? '(none)' : rows.map((r) => `${JSON.stringify(r.metric)} ${r.value[1]}`).join('; ');

/** The accounting group as /api/v1/rules reports it: last evaluation (s) and any rule error. */
async function accountingGroup(): Promise<{ lastEvaluation: number; errors: string[] }> {
  const group = (await ruleGroups()).find((g) => g.name === ACCOUNTING_GROUP);
  assert.ok(group, `rule group ${ACCOUNTING_GROUP} loaded in the sandbox Prometheus`);
  return {
    lastEvaluation: Date.parse(group.lastEvaluation) / 1000,
    errors: group.rules.filter((r) => r.lastError).map((r) => `${r.name}: ${r.lastError}`),
  };
}

describe('GPU-hours over time from the accounting rules (sandbox Prometheus)', () => {
  const workspace = uniqueName('gpuh-ws');
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  /** Window start: before the pod exists. */
  let createdAt = 0;
  /** When the API first showed the pod Running (an upper bound of its start). */
  let runningSince = 0;
  /** When the API confirmed the pod gone (an upper bound of its end). */
  let stoppedAt = 0;
  let end = 0;

  const series = () => `${RECORDED.gpuRequested}{namespace="${ns.name}"}`;

  before(async () => {
    createdAt = Math.floor(Date.now() / 1000) - 1;
    ns = await createTestNamespace('gpuh', workspace);
    await core.createNamespacedPod({ namespace: ns.name, body: gpuPod('train', ns.name, GPUS) });
    await waitFor(
      `pod ${ns.name}/train Running (needs ${GPUS} free nvidia.com/gpu in the sandbox)`,
      async () =>
        (await core.readNamespacedPod({ name: 'train', namespace: ns.name })).status?.phase === 'Running',
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    runningSince = Date.now() / 1000;

    // Several accounting evaluations while the pod runs; the group runs every minute, so allow a few
    // more intervals than needed for a loaded machine.
    await waitFor(
      `${SAMPLES} accounting samples of ${series()}`,
      async () => {
        const rows = await query(`count_over_time(${series()}[1h])`);
        if (rows.length > 1) {
          throw new WaitAborted(`more than one recorded series for the namespace: ${show(rows)}`);
        }
        const { errors } = await accountingGroup();
        if (errors.length) throw new WaitAborted(`accounting rule errors: ${errors.join('; ')}`);
        return rows[0] && num(rows[0]) >= SAMPLES ? true : undefined;
      },
      { timeoutMs: (SAMPLES + 3) * ACCOUNTING_INTERVAL_SECONDS * 1000, intervalMs: 5000 },
    ).catch(async (error: Error) => {
      const rows = await query(`count_over_time(${series()}[1h])`).catch(() => []);
      throw new Error(`${error.message}\nrecorded series (sample counts): ${show(rows)}`);
    });

    await core.deleteNamespacedPod({ name: 'train', namespace: ns.name, gracePeriodSeconds: 0 });
    await waitFor(
      `pod ${ns.name}/train gone`,
      async () =>
        core.readNamespacedPod({ name: 'train', namespace: ns.name }).then(
          () => false,
          () => true,
        ),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    stoppedAt = Date.now() / 1000;
    // An evaluation after the scrape that no longer sees the pod: from then on nothing more is recorded.
    await waitFor(
      `an accounting evaluation after the pod stopped (${ACCOUNTING_GROUP})`,
      async () => (await accountingGroup()).lastEvaluation > stoppedAt + SCRAPE_INTERVAL_SECONDS + 1,
      { timeoutMs: 3 * ACCOUNTING_INTERVAL_SECONDS * 1000, intervalMs: 2000 },
    );
    end = Math.ceil(Date.now() / 1000);
  });
  after(async () => {
    await ns?.remove();
  });

  it('records one series per namespace and resource, labelled with the workspace from the first sample', async () => {
    const rows = await query(`count_over_time(${series()}[1h])`, end);
    assert.deepEqual(
      rows.map((r) => r.metric),
      [{ namespace: ns.name, resource: RESOURCE, workspace }],
      `recorded series: ${show(rows)}`,
    );
    assert.ok(num(rows[0]!) >= SAMPLES, show(rows));
    // Every sample is the pod's request.
    for (const fn of ['min_over_time', 'max_over_time']) {
      const [row] = await query(`${fn}(${series()}[1h])`, end);
      assert.equal(row && num(row), GPUS, `${fn}: ${show(row ? [row] : [])}`);
    }
  });

  it('GPU-hours by namespace equal the requested GPUs × the time the pod ran, to one interval', async (t) => {
    const { allocated, time } = gpuHoursQueries(
      'namespace',
      { startSeconds: createdAt, endSeconds: end },
      { scope: [ns.name] },
    );
    const rows = await query(allocated, time);
    assert.deepEqual(
      rows.map((r) => [r.metric.namespace, r.metric.resource]),
      [[ns.name, RESOURCE]],
      show(rows),
    );
    const hours = num(rows[0]!);
    const ran = stoppedAt - runningSince;
    const expected = (GPUS * ran) / 3600;
    // Sampling once a minute: the first sample comes within one interval (plus a scrape) of the start,
    // the last within one interval of the end.
    const tolerance = (GPUS * (ACCOUNTING_INTERVAL_SECONDS + SCRAPE_INTERVAL_SECONDS + 1)) / 3600;
    t.diagnostic(
      `${hours} GPU-h recorded; ${GPUS} GPUs × ${ran.toFixed(1)} s = ${expected.toFixed(4)} GPU-h`,
    );
    assert.ok(
      Math.abs(hours - expected) <= tolerance,
      `${hours} GPU-h recorded; the pod held ${GPUS} GPUs for ${ran.toFixed(1)} s = ${expected} GPU-h (± ${tolerance})`,
    );
    // …and it is exactly GPUs × samples × interval: each sample stands for one interval.
    const [count] = await query(`count_over_time(${series()}[${end - createdAt}s])`, end);
    assert.ok(count, 'samples in the window');
    assert.equal(hours, (GPUS * num(count) * ACCOUNTING_INTERVAL_SECONDS) / 3600);
  });

  it('GPU-hours by workspace put every minute under the workspace (none without one)', async () => {
    const byNamespace = await query(
      gpuHoursQueries('namespace', { startSeconds: createdAt, endSeconds: end }, { scope: [ns.name] })
        .allocated,
      end,
    );
    const { allocated, time } = gpuHoursQueries(
      'workspace',
      { startSeconds: createdAt, endSeconds: end },
      { scope: [ns.name] },
    );
    const rows = await query(allocated, time);
    assert.deepEqual(
      rows.map((r) => [r.metric.workspace, r.metric.resource, num(r)]),
      [[workspace, RESOURCE, num(byNamespace[0]!)]],
      show(rows),
    );
  });
});
