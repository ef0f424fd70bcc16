import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusinessSystemList } from '@ks-gpu-ml/contracts';
import type { OutboxEntry } from '../../clients/store/outbox.js';
import { createTranslator, shippedCatalogues } from '../../core/i18n.js';
import { sendReport, unownedReport } from './unowned-report.js';

const translate = createTranslator(shippedCatalogues());
const p = { source: 'x', rule: 'x' };
const systems: BusinessSystemList = {
  truncated: false,
  items: [
    {
      name: 'payments',
      unowned: false,
      owners: { value: [], provenance: p },
      workloads: [{ kind: 'Deployment', namespace: 'prod-pay', name: 'api', provenance: p }],
      openAlerts: [],
    },
    {
      name: 'unowned',
      unowned: true,
      owners: { value: [], provenance: p },
      workloads: [{ kind: 'Deployment', namespace: 'scratch', name: 'stray', provenance: p }],
      openAlerts: [
        {
          alertKey: 'ab-1',
          alertname: 'KubePodCrashLooping',
          namespace: 'scratch',
          state: 'escalating',
          startsAt: '2026-12-06T00:00:00Z',
        },
      ],
    },
  ],
};
const NOW = Date.parse('2026-12-06T08:00:00Z');

describe('the unowned report', () => {
  it("lists the unowned bucket's workloads and open alerts only", () => {
    const r = unownedReport(systems, NOW);
    assert.deepEqual(r.workloads, [{ kind: 'Deployment', namespace: 'scratch', name: 'stray' }]);
    assert.deepEqual(
      r.openAlerts.map((a) => a.alertKey),
      ['ab-1'],
    );
    assert.equal(r.generatedAt, '2026-12-06T08:00:00.000Z');
  });

  it('goes to each receiver of the platform default through the outbox, once per period, in en and zh', async () => {
    const queued: OutboxEntry[] = [];
    const deps = {
      report: async () => unownedReport(systems, NOW),
      defaultReceivers: async () => ['ops-robot', 'ops-mail'],
      enqueue: async (entries: readonly OutboxEntry[]) => (queued.push(...entries), entries.length),
      translate,
      periodMs: 86_400_000,
      now: () => NOW,
    };
    assert.deepEqual(await sendReport(deps), { sent: 2, workloads: 1 });
    assert.deepEqual(
      queued.map((e) => e.receiver),
      ['ops-robot', 'ops-mail'],
    );
    const n = queued[0]!.notification;
    assert.equal(n.idempotencyKey, `unowned-report:${Math.floor(NOW / 86_400_000)}:ops-robot`);
    assert.match(n.title, /^Unowned workloads report 2026-12-06 \/ 未归属工作负载日报 2026-12-06$/);
    assert.match(n.text, /1 workloads map to no business system, and 1 open alerts/);
    assert.match(n.text, /- Deployment scratch\/stray/);
    assert.match(n.text, /- KubePodCrashLooping scratch \(ab-1\)/);
    assert.match(n.markdown, /\*\*未归属工作负载日报 2026-12-06\*\*/);
  });

  it('sends nothing when the bucket is empty or no platform default has receivers, and says why', async () => {
    const none: OutboxEntry[] = [];
    const base = {
      enqueue: async (e: readonly OutboxEntry[]) => (none.push(...e), e.length),
      translate,
      periodMs: 1000,
    };
    const empty = { truncated: false, items: [systems.items[0]!] };
    assert.deepEqual(
      await sendReport({
        ...base,
        report: async () => unownedReport(empty, NOW),
        defaultReceivers: async () => ['x'],
      }),
      { sent: 0, workloads: 0, reason: 'empty' },
    );
    assert.deepEqual(
      await sendReport({
        ...base,
        report: async () => unownedReport(systems, NOW),
        defaultReceivers: async () => [],
      }),
      { sent: 0, workloads: 1, reason: 'no-default-receiver' },
    );
    assert.equal(none.length, 0);
  });
});
