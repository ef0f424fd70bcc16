// Two outbox replicas (separate processes, the real store and dispatcher code) share one real PostgreSQL. The
// recording test channel posts to a stand-in provider this test owns, which takes idempotency keys as providers that
// support them do. Mid-storm, replica A is SIGKILLed while its send is at the provider (the provider got it, A never
// learns), then started again. Asserted: every notification delivered once; the only resends are the rows
// A had claimed but not settled when it died (after its lease ran out, with the same keys), and the trail says
// "interrupted" for them, and no more were resent than the sends A had under way (each settles its notification as
// soon as the provider acknowledged it, docs/adr/0049).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createStore, type Store } from '../../../backend/src/clients/store/index.js';
import { createOutboxStore, type OutboxStore } from '../../../backend/src/clients/store/outbox.js';
import { startPostgres, type DatabaseServer } from '../../sandbox/src/databases.js';
import { waitFor } from '../../sandbox/src/wait.js';
import {
  REPLICA_CONCURRENCY,
  exited,
  outboxEntries,
  startRecorder,
  startReplica,
} from './outbox-replicas.js';

const total = 600;
const receivers = 6;

describe('outbox: two replicas on one PostgreSQL, one SIGKILLed mid-send', () => {
  let postgres: DatabaseServer;
  let store: Store;
  let outbox: OutboxStore;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  const replicas: ChildProcess[] = [];

  before(async () => {
    postgres = await startPostgres();
    store = createStore(postgres.url);
    await store.migrate();
    outbox = createOutboxStore(store);
    recorder = await startRecorder();
  });
  after(async () => {
    for (const child of replicas) child.kill('SIGKILL');
    await Promise.all(replicas.map(exited));
    await recorder?.stop(); // with the held send's connection
    await store?.close();
    await postgres?.stop();
  });

  it("delivers every notification; resends only the dead replica's unsettled claims, with the same keys", async () => {
    const inserted = await outbox.enqueue(outboxEntries(total, receivers), Date.now());
    assert.equal(inserted, total);

    // Well into A's work and mid-claim (claims of 10): A has sends under way whose earlier messages the provider
    // already answered. Settled only at the end of each claim, those were resent too (9 in a trial run), not ≤ 4.
    const held = recorder.holdNextSendOf('replica-a', 45);
    replicas.push(startReplica('replica-a', postgres.url, recorder.url));
    replicas.push(startReplica('replica-b', postgres.url, recorder.url));
    await held;
    replicas[0]!.kill('SIGKILL');
    await exited(replicas[0]!);
    // What A held when it died (its lease still runs): sent or not, it never settled these rows.
    const unsettled = await store.db
      .selectFrom('outbox_delivery')
      .select('idempotency_key')
      .where('state', '=', 'in-flight')
      .where('lease_owner', '=', 'replica-a')
      .execute();
    const killedClaims = new Set(unsettled.map((r) => r.idempotency_key));
    const delivered = (await outbox.depth()).delivered;
    assert.ok(delivered < total, `killed mid-storm (${delivered} of ${total} delivered)`);
    replicas.push(startReplica('replica-a2', postgres.url, recorder.url));

    await waitFor(
      'every notification delivered',
      async () => (await outbox.depth()).delivered === total || undefined,
      { timeoutMs: 45_000 },
    );
    const depth = await outbox.depth();
    assert.deepEqual(depth, { pending: 0, 'in-flight': 0, delivered: total, dead: 0, cancelled: 0 });

    const lost = Array.from({ length: total }, (_, i) => `key-${i}`).filter((k) => !recorder.requests.has(k));
    assert.deepEqual(lost, [], 'none lost');
    const resent = [...recorder.requests].filter(([, n]) => n > 1);
    assert.ok(recorder.held.keys.length > 0);
    assert.ok(
      recorder.held.keys.every((key) => recorder.requests.get(key) === 2),
      'the send at the provider when A died was repeated once, with the same idempotency keys',
    );
    // A message that ran into its send's deadline may have reached the provider all the same: the replica cannot
    // know, so it retries (at-least-once) and the trail says the attempt timed out. Besides those, only A's
    // unsettled claims may have been sent twice, and none more than once again.
    const timeouts = new Map<string, number>();
    for (const [key] of resent) {
      const attempts = await outbox.trail(`alert-${key.slice('key-'.length)}`);
      const late = attempts.filter((e) => e.outcome === 'retry' && /aborted|timeout/i.test(e.error ?? ''));
      if (late.length > 0) timeouts.set(key, late.length);
    }
    assert.deepEqual(
      resent.filter(([key, n]) => n > 1 + (timeouts.get(key) ?? 0) + (killedClaims.has(key) ? 1 : 0)),
      [],
      "nothing but A's unsettled claims (and sends past their deadline) was sent again; none twice over",
    );
    // Each of A's sends settles its notification as soon as the provider acknowledged it (docs/adr/0049): when A
    // died, at most one notification per concurrent send was at the provider unsettled.
    const resentForTheKill = resent.filter(([key]) => !timeouts.has(key));
    assert.ok(
      resentForTheKill.length <= REPLICA_CONCURRENCY,
      `resent ${resentForTheKill.length} > ${REPLICA_CONCURRENCY}, the sends A had under way: ${resentForTheKill.map(([k]) => k).join(' ')}`,
    );
    const trail = await outbox.trail(`alert-${recorder.held.keys[0]!.slice('key-'.length)}`);
    assert.deepEqual(
      trail.map((e) => e.outcome),
      ['interrupted', 'delivered'],
    );
  });
});
