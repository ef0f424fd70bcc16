import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEscalationStore } from '../../clients/store/alert-escalation.js';
import { createStore, type Store } from '../../clients/store/index.js';
import { AppError } from '../../core/errors.js';
import { createWorkspaceAlerts } from './workspace-alerts.js';

describe("a workspace's alert list (SQLite escalation store)", () => {
  let store: Store;
  const t0 = 1_800_000_000_000;
  before(async () => {
    store = createStore('sqlite::memory:');
    await store.migrate();
    const escalations = createEscalationStore<{ name: string }>(store);
    const start = (alertKey: string, owner: string, system?: string) =>
      escalations.start(
        {
          alertKey,
          owner,
          policy: { name: `${owner || 'cluster'}-policy` },
          alert: {
            fingerprint: alertKey.split('-')[0]!,
            startsAt: '2026-12-06T01:00:00Z',
            labels: { alertname: 'KubePodCrashLooping', namespace: 'alpha-train' },
            annotations: {},
            ...(system
              ? {
                  business: {
                    system: { value: system, provenance: { source: 'workload', rule: 'label' } },
                  } as never,
                }
              : {}),
          },
          firingAt: t0,
          state: 'escalating',
          stepsSent: 1,
          notified: [],
        },
        t0,
      );
    await start('a1-1', 'ws-a', 'payments');
    await start('b1-1', 'ws-b');
    await start('c1-1', '');
    await start('a2-1', 'ws-a');
    await start('a3-1', 'ws-a');
    await escalations.acknowledge('a1-1', 'alice', 'console', t0 + 1);
  });
  after(async () => store.close());

  const alerts = () =>
    createWorkspaceAlerts({ store: createEscalationStore(store), onStoreError: () => undefined });

  it("lists only the workspace's own escalations, newest first, with who acknowledged and the system", async () => {
    const { items, continue: more } = await alerts().list('ws-a', {});
    assert.deepEqual(
      items.map((i) => i.alertKey),
      ['a3-1', 'a2-1', 'a1-1'],
    );
    assert.equal(more, undefined);
    const a1 = items[2]!;
    assert.deepEqual(
      { policy: a1.policy, state: a1.state, ack: a1.acknowledgedBy, system: a1.system, steps: a1.stepsSent },
      { policy: 'ws-a-policy', state: 'escalating', ack: ['alice'], system: 'payments', steps: 1 },
    );
    assert.equal(items[0]!.system, undefined);
    assert.deepEqual(
      (await alerts().list('ws-b', {})).items.map((i) => i.alertKey),
      ['b1-1'],
    );
    assert.deepEqual((await alerts().list('ws-c', {})).items, []);
  });

  it('pages with continue', async () => {
    const first = await alerts().list('ws-a', { limit: 2 });
    assert.deepEqual(
      first.items.map((i) => i.alertKey),
      ['a3-1', 'a2-1'],
    );
    const second = await alerts().list('ws-a', { limit: 2, continue: first.continue! });
    assert.deepEqual(
      second.items.map((i) => i.alertKey),
      ['a1-1'],
    );
  });

  it('answers 503 when the store cannot be read', async () => {
    const broken = createWorkspaceAlerts({
      store: {
        ofOwner: () => Promise.reject(new Error('down')),
        acknowledgedByAll: () => Promise.reject(new Error('down')),
      },
      onStoreError: () => undefined,
    });
    await assert.rejects(broken.list('ws-a', {}), (err) => err instanceof AppError && err.statusCode === 503);
  });
});
