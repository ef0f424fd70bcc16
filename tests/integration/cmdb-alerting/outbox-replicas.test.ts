// Two outbox replicas (separate processes, the real store and dispatcher code) share one real PostgreSQL. The
// recording test channel posts to a stand-in provider this test owns, which takes idempotency keys as providers that
// support them do. Mid-storm, replica A is SIGKILLed while its send is at the provider (the provider got it, A never
// learns), then started again. Asserted: every notification delivered once; the only resends are exactly the batch
// A had claimed but not settled when it died (after its lease ran out, with the same keys), and the trail says
// "interrupted" for them.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStore, type Store } from '../../../backend/src/clients/store/index.js';
import { createOutboxStore, type OutboxStore } from '../../../backend/src/clients/store/outbox.js';
import { startPostgres, type DatabaseServer } from '../../sandbox/src/databases.js';
import { repoRoot } from '../../sandbox/src/env.js';
import { waitFor } from '../../sandbox/src/wait.js';

const total = 600;
const receivers = 6;

/** The stand-in provider: counts each key's requests; answers all but the send it is told to hold. */
function startRecorder() {
  const requests = new Map<string, number>();
  const held: { keys: string[]; response?: ServerResponse } = { keys: [] };
  let holdOwner: string | undefined;
  let onHold: (() => void) | undefined;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { owner, keys } = JSON.parse(body) as { owner: string; keys: string[] };
      for (const key of keys) requests.set(key, (requests.get(key) ?? 0) + 1);
      if (owner === holdOwner && held.keys.length === 0) {
        held.keys = keys;
        held.response = res; // the provider has the message; the replica never hears back
        onHold?.();
        return;
      }
      res.end(JSON.stringify({ errcode: 0, accepted: keys.length }));
    });
  });
  const holdNextSendOf = (owner: string) =>
    new Promise<void>((resolve) => {
      holdOwner = owner;
      onHold = resolve;
    });
  return { server, requests, held, holdNextSendOf };
}

function startReplica(owner: string, storeUrl: string, recorderUrl: string): ChildProcess {
  const worker = join(repoRoot, 'tests/integration/cmdb-alerting/outbox-replica-worker.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', worker], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, STORE_URL: storeUrl, RECORDER_URL: recorderUrl, OWNER: owner },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

describe('outbox: two replicas on one PostgreSQL, one SIGKILLed mid-send', () => {
  let postgres: DatabaseServer;
  let store: Store;
  let outbox: OutboxStore;
  const recorder = startRecorder();
  let recorderUrl: string;
  const replicas: ChildProcess[] = [];

  before(async () => {
    postgres = await startPostgres();
    store = createStore(postgres.url);
    await store.migrate();
    outbox = createOutboxStore(store);
    await new Promise<void>((resolve) => recorder.server.listen(0, '127.0.0.1', resolve));
    recorderUrl = `http://127.0.0.1:${(recorder.server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    for (const child of replicas) child.kill('SIGKILL');
    await Promise.all(replicas.map(exited));
    recorder.held.response?.destroy();
    recorder.server.close();
    await store?.close();
    await postgres?.stop();
  });

  it("delivers every notification; resends only the dead replica's unsettled claims, with the same keys", async () => {
    const inserted = await outbox.enqueue(
      Array.from({ length: total }, (_, i) => ({
        receiver: `receiver-${i % receivers}`,
        notification: {
          idempotencyKey: `key-${i}`,
          alertKey: `alert-${i}`,
          status: 'firing' as const,
          severity: 'critical',
          title: `alert ${i}`,
          markdown: `**alert ${i}**`,
          text: `alert ${i}`,
          recipients: [{ name: 'on-call' }],
        },
      })),
      Date.now(),
    );
    assert.equal(inserted, total);

    const held = recorder.holdNextSendOf('replica-a');
    replicas.push(startReplica('replica-a', postgres.url, recorderUrl));
    replicas.push(startReplica('replica-b', postgres.url, recorderUrl));
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
    replicas.push(startReplica('replica-a2', postgres.url, recorderUrl));

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
    assert.deepEqual(
      resent.filter(([key, n]) => n !== 2 || !killedClaims.has(key)),
      [],
      "nothing but A's unsettled claims was sent twice; nothing three times",
    );
    const trail = await outbox.trail(`alert-${recorder.held.keys[0]!.slice('key-'.length)}`);
    assert.deepEqual(
      trail.map((e) => e.outcome),
      ['interrupted', 'delivered'],
    );
  });
});
