import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Notification } from '../../clients/channels/channel.js';
import { createStore, type Store } from '../../clients/store/index.js';
import { createOutboxStore, type OutboxStore } from '../../clients/store/outbox.js';
import { AppError } from '../../core/errors.js';
import { createTranslator, shippedCatalogues } from '../../core/i18n.js';
import { createDeliveryAudit, type DeliveryAuditService } from './delivery-audit.js';
import { notificationFixture } from './test-fixtures.js';

const note = (key: string, alertKey: string): Notification =>
  notificationFixture({
    idempotencyKey: key,
    alertKey,
    recipients: [{ name: '张三', mobile: '13800000000' }, { email: 'ops@example.com' }],
  });

const status = (err: unknown) => (err instanceof AppError ? err.statusCode : undefined);

describe('delivery trail and dead letters (SQLite outbox)', () => {
  let store: Store;
  let outbox: OutboxStore;
  let audit: DeliveryAuditService;
  const t0 = 1_800_000_000_000;
  const owners: Record<string, string> = { 'aa-1': 'ws-a', 'cc-1': '' };

  before(async () => {
    store = createStore('sqlite::memory:');
    await store.migrate();
    outbox = createOutboxStore(store);
    audit = createDeliveryAudit({
      outbox,
      escalationOwner: async (key) => owners[key],
      onStoreError: () => undefined,
      now: () => t0 + 10_000,
    });
    await outbox.enqueue(
      [
        { receiver: 'ws-a/robot', notification: note('n1', 'aa-1') },
        { receiver: 'ops-mail', notification: note('n2', 'cc-1') },
      ],
      t0,
    );
    const [robot] = await outbox.claim('ws-a/robot', 'r1', t0, t0 + 60_000, 10);
    await outbox.complete(
      'r1',
      {
        kind: 'retry',
        ids: [robot!.id],
        nextAttemptAt: t0 + 5_000,
        error: 'errcode 45009: api freq out of limit',
      },
      {
        channel: 'wecom-robot',
        outcome: 'retry',
        providerAnswer: 'errcode 45009',
        error: 'errcode 45009: api freq out of limit',
        at: t0 + 1,
      },
    );
    await outbox.claim('ws-a/robot', 'r1', t0 + 5_000, t0 + 60_000, 10);
    await outbox.complete(
      'r1',
      { kind: 'delivered', ids: [robot!.id] },
      { channel: 'wecom-robot', outcome: 'delivered', providerAnswer: 'errcode 0: ok', at: t0 + 5_001 },
    );
    const [mail] = await outbox.claim('ops-mail', 'r1', t0, t0 + 60_000, 10);
    await outbox.complete(
      'r1',
      { kind: 'dead', ids: [mail!.id], error: '550 5.1.1 mailbox unavailable' },
      {
        channel: 'email',
        outcome: 'failed',
        providerAnswer: '550 5.1.1',
        error: '550 5.1.1 mailbox unavailable',
        at: t0 + 2,
      },
    );
  });
  after(async () => store.close());

  it("shows every attempt of an alert: channel, recipients, outcome, the provider's answer and the error", async () => {
    const { items } = await audit.trail('aa-1');
    // Both attempts are of the one delivery, so they share all but their outcome.
    const delivery = {
      deliveryId: items[0]!.deliveryId,
      receiver: 'ws-a/robot',
      channel: 'wecom-robot',
      recipients: ['张三', 'ops@example.com'],
    };
    assert.deepEqual(items, [
      {
        ...delivery,
        outcome: 'retry',
        providerAnswer: 'errcode 45009',
        error: 'errcode 45009: api freq out of limit',
        at: new Date(t0 + 1).toISOString(),
      },
      {
        ...delivery,
        outcome: 'delivered',
        providerAnswer: 'errcode 0: ok',
        at: new Date(t0 + 5_001).toISOString(),
      },
    ]);
  });

  it("gives a workspace the trail of its own alerts only, and another's as not found", async () => {
    assert.equal((await audit.trailIn('ws-a', 'aa-1')).items.length, 2);
    await assert.rejects(audit.trailIn('ws-b', 'aa-1'), (err) => status(err) === 404);
    await assert.rejects(audit.trailIn('ws-a', 'cc-1'), (err) => status(err) === 404, "the cluster's alert");
    await assert.rejects(audit.trailIn('ws-a', 'nope-1'), (err) => status(err) === 404);
  });

  it('lists dead letters per scope and retries one only within its scope', async () => {
    const all = await audit.deadLetters(undefined, {});
    assert.equal(all.items.length, 1);
    const dead = all.items[0]!;
    assert.deepEqual(
      {
        receiver: dead.receiver,
        alertKey: dead.alertKey,
        attempts: dead.attempts,
        lastError: dead.lastError,
      },
      { receiver: 'ops-mail', alertKey: 'cc-1', attempts: 1, lastError: '550 5.1.1 mailbox unavailable' },
    );
    assert.deepEqual((await audit.deadLetters('ws-a', {})).items, [], "the cluster's receiver is not ws-a's");
    await assert.rejects(audit.retry('ws-a', String(dead.id)), (err) => status(err) === 404);
    await assert.rejects(audit.retry(undefined, 'example'), (err) => status(err) === 404);
    assert.deepEqual(await audit.retry(undefined, String(dead.id)), { id: dead.id, state: 'pending' });
    await assert.rejects(
      audit.retry(undefined, String(dead.id)),
      (err) => status(err) === 404,
      'retried once',
    );
    assert.deepEqual(await outbox.dueReceivers(t0 + 10_000, 10), ['ops-mail'], 'due again');
  });

  it('pages dead letters with continue', async () => {
    const more = Array.from({ length: 3 }, (_, i) => ({
      receiver: `ws-a/dead-${i}`,
      notification: note(`d${i}`, 'aa-2'),
    }));
    await outbox.enqueue(more, t0);
    for (const { receiver } of more) {
      const [row] = await outbox.claim(receiver, 'r1', t0, t0 + 60_000, 10);
      await outbox.complete(
        'r1',
        { kind: 'dead', ids: [row!.id], error: 'x' },
        { channel: 'webhook', outcome: 'failed', at: t0 },
      );
    }
    const first = await audit.deadLetters('ws-a', { limit: 2 });
    assert.deepEqual(
      first.items.map((d) => d.receiver),
      ['ws-a/dead-2', 'ws-a/dead-1'],
    );
    assert.ok(first.continue);
    const second = await audit.deadLetters('ws-a', { limit: 2, continue: first.continue });
    assert.deepEqual(
      second.items.map((d) => d.receiver),
      ['ws-a/dead-0'],
    );
    assert.equal(second.continue, undefined);
  });

  it("says an error recorded as one of the backend's messages in the caller's language; plain text stays as it is", async () => {
    const translate = createTranslator(shippedCatalogues());
    const said = createDeliveryAudit({
      outbox: {
        trail: async () => [
          {
            deliveryId: 1,
            receiver: 'r',
            channel: 'wecom-robot',
            recipients: [],
            outcome: 'failed',
            error: 'CMDB_ALERTING_WECOM_INVALID_ROBOT_KEY',
            at: t0,
          },
          {
            deliveryId: 1,
            receiver: 'r',
            channel: '',
            recipients: [],
            outcome: 'interrupted',
            error: 'lease ran out',
            at: t0,
          },
        ],
        deadLetters: async () => [
          {
            id: 1,
            receiver: 'r',
            alertKey: 'k',
            idempotencyKey: 'i',
            attempts: 1,
            lastError: 'CMDB_ALERTING_WECOM_INVALID_ROBOT_KEY',
            updatedAt: t0,
          },
        ],
        retryDead: async () => false,
      },
      escalationOwner: async () => '',
      onStoreError: () => undefined,
      translate,
    });
    const [key, plain] = (await said.trail('k', 'zh-CN,zh;q=0.9')).items;
    assert.equal(key!.error, 'CMDB_ALERTING_WECOM_INVALID_ROBOT_KEY', 'the key stays, for machines');
    assert.equal(key!.errorText, translate('zh', 'CMDB_ALERTING_WECOM_INVALID_ROBOT_KEY'));
    assert.match(key!.errorText ?? '', /93000/);
    assert.equal(plain!.errorText, undefined);
    const [dead] = (await said.deadLetters(undefined, {}, 'en')).items;
    assert.equal(dead!.lastErrorText, translate('en', 'CMDB_ALERTING_WECOM_INVALID_ROBOT_KEY'));
  });

  it('answers 503 when the store cannot be read', async () => {
    const broken = createDeliveryAudit({
      outbox: {
        trail: async () => Promise.reject(new Error('SQLITE_BUSY')),
        deadLetters: async () => Promise.reject(new Error('SQLITE_BUSY')),
        retryDead: async () => Promise.reject(new Error('SQLITE_BUSY')),
      },
      escalationOwner: async () => 'ws-a',
      onStoreError: () => undefined,
    });
    await assert.rejects(broken.trail('aa-1'), (err) => status(err) === 503);
    await assert.rejects(broken.deadLetters('ws-a', {}), (err) => status(err) === 503);
    await assert.rejects(broken.retry('ws-a', '1'), (err) => status(err) === 503);
  });
});
