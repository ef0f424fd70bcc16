import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Notification } from '../channels/channel.js';
import { createStore, type Store } from './index.js';
import { createOutboxStore, type OutboxStore } from './outbox.js';

/**
 * The outbox's behaviour, the same on every database: part of the store suite (store-suite.ts), so it runs on SQLite
 * (unit) and on real PostgreSQL and MariaDB (tests/integration/backend/store.test.ts). Times are given, not read.
 */
export function outboxSuite(store: () => Store, url: () => string): void {
  let outbox: OutboxStore;
  const t0 = 1_800_000_000_000;

  const note = (key: string, alertKey = 'alert-1'): Notification => ({
    idempotencyKey: key,
    alertKey,
    status: 'firing',
    severity: 'critical',
    title: 'Pod 崩溃',
    markdown: '**Pod 崩溃**',
    text: 'Pod 崩溃',
    recipients: [{ name: '张三', mobile: '13800000000' }],
  });

  it('outbox: enqueues once per (idempotency key, receiver)', async () => {
    outbox = createOutboxStore(store());
    const entries = [
      { receiver: 'ops', notification: note('n1') },
      { receiver: 'ops', notification: note('n2') },
      { receiver: 'dba', notification: note('n1') },
      { receiver: 'ops', notification: note('n1') },
    ];
    assert.equal(await outbox.enqueue(entries, t0), 3);
    assert.equal(await outbox.enqueue(entries, t0), 0);
    assert.deepEqual((await outbox.dueReceivers(t0, 10)).sort(), ['dba', 'ops']);
    assert.deepEqual(await outbox.dueReceivers(t0 - 1, 10), [], 'not due before next_attempt_at');
  });

  it('outbox: a lease keeps a claim to one replica until it runs out; a late delivered mark still wins', async () => {
    const claimed = await outbox.claim('ops', 'replica-a', t0, t0 + 1_000, 10);
    assert.deepEqual(
      claimed.map((c) => [c.notification.idempotencyKey, c.attempts]),
      [
        ['n1', 1],
        ['n2', 1],
      ],
    );
    assert.equal(claimed[0]?.notification.title, 'Pod 崩溃');
    assert.deepEqual(await outbox.claim('ops', 'replica-b', t0 + 999, t0 + 2_000, 10), []);
    // replica-a died mid-send: its lease runs out and replica-b takes the rows over.
    const taken = await outbox.claim('ops', 'replica-b', t0 + 1_001, t0 + 3_000, 10);
    assert.deepEqual(
      taken.map((c) => c.attempts),
      [2, 2],
    );
    const ids = claimed.map((c) => c.id);
    // replica-a was only slow: the provider acknowledged its send, so the rows are delivered …
    await outbox.complete(
      'replica-a',
      { kind: 'delivered', ids },
      { channel: 'test', outcome: 'delivered', providerAnswer: 'ok', at: t0 + 1_002 },
    );
    // … and replica-b's failure for the same rows no longer changes them.
    await outbox.complete(
      'replica-b',
      { kind: 'retry', ids, nextAttemptAt: t0 + 5_000, error: 'timeout' },
      { channel: 'test', outcome: 'retry', error: 'timeout', at: t0 + 1_003 },
    );
    assert.deepEqual(await outbox.claim('ops', 'replica-c', t0 + 10_000, t0 + 11_000, 10), []);
    const depth = await outbox.depth();
    assert.equal(depth.delivered, 2);
    assert.equal(depth.pending, 1);
    const trail = await outbox.trail('alert-1');
    assert.deepEqual(
      trail.filter((e) => e.receiver === 'ops').map((e) => e.outcome),
      ['interrupted', 'interrupted', 'delivered', 'delivered', 'retry', 'retry'],
    );
    assert.deepEqual(trail[0]?.recipients, ['张三']);
    assert.equal(trail[2]?.providerAnswer, 'ok');
  });

  it('outbox: retries, dead letters, retrying a dead letter, cancelling an alert', async () => {
    const [row] = await outbox.claim('dba', 'replica-a', t0, t0 + 1_000, 10);
    assert.ok(row);
    await outbox.complete(
      'replica-a',
      { kind: 'retry', ids: [row.id], nextAttemptAt: t0 + 60_000, error: '45009 rate limited' },
      { channel: 'test', outcome: 'retry', error: '45009 rate limited', at: t0 + 1 },
    );
    assert.deepEqual(await outbox.claim('dba', 'replica-a', t0 + 59_999, t0 + 70_000, 10), []);
    const [again] = await outbox.claim('dba', 'replica-a', t0 + 60_000, t0 + 70_000, 10);
    assert.equal(again?.attempts, 2);
    await outbox.complete(
      'replica-a',
      { kind: 'dead', ids: [row.id], error: '93000 invalid webhook key' },
      { channel: 'test', outcome: 'failed', error: '93000 invalid webhook key', at: t0 + 60_001 },
    );
    const [dead] = await outbox.deadLetters(10);
    assert.deepEqual(
      { id: dead?.id, receiver: dead?.receiver, attempts: dead?.attempts, lastError: dead?.lastError },
      { id: row.id, receiver: 'dba', attempts: 2, lastError: '93000 invalid webhook key' },
    );
    assert.equal(await outbox.retryDead(row.id, t0 + 70_000), true);
    assert.equal(await outbox.retryDead(row.id, t0 + 70_000), false, 'no longer dead');
    assert.deepEqual(await outbox.deadLetters(10), []);
    const [retried] = await outbox.claim('dba', 'replica-a', t0 + 70_000, t0 + 71_000, 10);
    assert.equal(retried?.attempts, 1);
    await outbox.complete(
      'replica-a',
      { kind: 'delivered', ids: [row.id] },
      { channel: 'test', outcome: 'delivered', at: t0 + 70_001 },
    );

    await outbox.enqueue(
      [
        { receiver: 'ops', notification: note('n3', 'alert-2') },
        { receiver: 'dba', notification: note('n3', 'alert-2') },
      ],
      t0,
    );
    assert.equal(await outbox.cancelPending('alert-2', t0 + 1), 2);
    assert.equal(await outbox.cancelPending('alert-2', t0 + 1), 0);
    assert.deepEqual(await outbox.dueReceivers(t0 + 100_000, 10), [], 'cancelled rows are never due');
  });

  it("outbox: a workspace sees and retries only its own receivers' dead letters", async () => {
    const at = t0 + 300_000;
    const refs = ['ws-a/robot', 'ws-ab/robot', 'cluster-robot'];
    await outbox.enqueue(
      refs.map((receiver) => ({ receiver, notification: note(`dl-${receiver}`, 'alert-dl') })),
      at,
    );
    for (const receiver of refs) {
      const [row] = await outbox.claim(receiver, 'replica-a', at, at + 1_000, 10);
      assert.ok(row);
      await outbox.complete(
        'replica-a',
        { kind: 'dead', ids: [row.id], error: `dead ${receiver}` },
        { channel: 'test', outcome: 'failed', error: `dead ${receiver}`, at: at + 1 },
      );
    }
    const ofA = await outbox.deadLetters(10, undefined, 'ws-a');
    assert.deepEqual(
      ofA.map((d) => d.receiver),
      ['ws-a/robot'],
      'not ws-ab (a name that starts alike) nor the cluster',
    );
    const all = await outbox.deadLetters(10);
    assert.deepEqual(all.map((d) => d.receiver).sort(), [...refs].sort());
    const clusterRow = all.find((d) => d.receiver === 'cluster-robot')!;
    assert.equal(await outbox.retryDead(clusterRow.id, at + 2, 'ws-a'), false, "not ws-a's to retry");
    assert.equal(await outbox.retryDead(ofA[0]!.id, at + 2, 'ws-a'), true);
    assert.deepEqual((await outbox.deadLetters(10)).map((d) => d.receiver).sort(), [
      'cluster-robot',
      'ws-ab/robot',
    ]);
    await assert.rejects(outbox.deadLetters(10, undefined, 'ws%'), /not a workspace name/);
    // Leave nothing due for the suites after this one.
    assert.equal(await outbox.cancelPending('alert-dl', at + 3), 1);
  });

  it("outbox: a placed call's ids are kept, its result is recorded once, and it is no longer pending", async () => {
    const at = t0 + 400_000;
    await outbox.enqueue([{ receiver: 'phones', notification: note('call-n', 'alert-call') }], at);
    const [row] = await outbox.claim('phones', 'replica-a', at, at + 1_000, 10);
    assert.ok(row);
    await outbox.complete(
      'replica-a',
      { kind: 'delivered', ids: [row.id] },
      {
        channel: 'voice',
        outcome: 'delivered',
        providerAnswer: '张三: pending',
        providerRef: 'twilio:CA9 aliyun:116',
        at: at + 1,
      },
    );
    const pending = await outbox.pendingCalls(at, 10);
    assert.deepEqual(
      pending.map((c) => [c.deliveryId, c.receiver, c.ref]),
      [
        [row.id, 'phones', 'twilio:CA9'],
        [row.id, 'phones', 'aliyun:116'],
      ],
    );
    assert.deepEqual(await outbox.pendingCalls(at + 2, 10), [], 'placed before `since`');
    assert.equal(await outbox.recordCallResult(pending[0]!, 'answered', 'answered', at + 5), true);
    assert.equal(await outbox.recordCallResult(pending[0]!, 'answered', 'answered', at + 6), false, 'once');
    assert.deepEqual(
      (await outbox.pendingCalls(at, 10)).map((c) => c.ref),
      ['aliyun:116'],
    );
    const results = (await outbox.trail('alert-call')).filter((e) => e.outcome === 'answered');
    assert.deepEqual(
      results.map((e) => [e.receiver, e.channel, e.providerAnswer, e.recipients]),
      [['phones', 'voice', 'twilio:CA9: answered', ['张三']]],
    );
    assert.equal(await outbox.recordCallResult(pending[1]!, 'not-answered', 'not-answered', at + 7), true);
    assert.deepEqual(await outbox.pendingCalls(at, 10), []);
  });

  it('outbox: two replicas claiming at once never get the same row', async () => {
    // SQLite is the single-replica store: its "replicas" share one connection, which serialises transactions.
    const other = store().dialect === 'sqlite' ? undefined : createStore(url());
    const second = other ? createOutboxStore(other) : outbox;
    const at = t0 + 200_000;
    await outbox.enqueue(
      Array.from({ length: 60 }, (_, i) => ({ receiver: 'storm', notification: note(`s${i}`, 'storm') })),
      at,
    );
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? second : outbox).claim('storm', `replica-${i}`, at, at + 1_000, 10),
      ),
    );
    // A claim may skip a row another only looked at (InnoDB locks the next key too): a later round takes it.
    for (let more = claims.flat().length; more > 0;) {
      const round = await outbox.claim('storm', 'replica-late', at, at + 1_000, 10);
      claims.push(round);
      more = round.length;
    }
    const ids = claims.flat().map((c) => c.id);
    assert.equal(ids.length, 60);
    assert.equal(new Set(ids).size, 60);
    await other?.close();
  });
}
