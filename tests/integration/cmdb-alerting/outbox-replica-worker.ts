// One outbox replica for outbox-replicas.test.ts and the cmdb-alerting benchmark: the real store code and the real
// dispatcher against STORE_URL, sending through a recording test channel that POSTs each notification's idempotency
// key to RECORDER_URL (a stand-in provider that the test owns). Stops cleanly on SIGTERM; the test also SIGKILLs it.
import { Registry } from 'prom-client';
import type { Channel } from '../../../backend/src/clients/channels/channel.js';
import { createStore } from '../../../backend/src/clients/store/index.js';
import { createOutboxStore } from '../../../backend/src/clients/store/outbox.js';
import { createDispatchMetrics } from '../../../backend/src/features/cmdb-alerting/dispatch-metrics.js';
import {
  defaultDispatchSettings,
  startDispatcher,
} from '../../../backend/src/features/cmdb-alerting/dispatch.js';
import { REPLICA_CONCURRENCY } from './outbox-replicas.js';

const owner = process.env.OWNER ?? `replica-${process.pid}`;
const recorder = process.env.RECORDER_URL!;
const store = createStore(process.env.STORE_URL!);
const outbox = createOutboxStore(store);

/**
 * One provider message per notification (as the email channel sends one mail each), each reported to the dispatcher
 * as soon as the provider acknowledged it, so it is settled before the next is sent (docs/adr/0049).
 */
const recordingTestChannel: Channel = {
  type: 'webhook',
  async send(batch, signal, accepted) {
    for (const notification of batch) {
      const response = await fetch(recorder, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ owner, keys: [notification.idempotencyKey] }),
        signal,
      });
      const answer = await response.text();
      if (!response.ok) return { kind: 'retry', reason: `HTTP ${response.status}`, providerAnswer: answer };
      await accepted?.([notification], answer);
    }
    return { kind: 'delivered', providerAnswer: `${batch.length} accepted` };
  },
  nextSendAt: (now) => now,
};

const dispatcher = startDispatcher({
  outbox,
  channelFor: () => recordingTestChannel,
  metrics: createDispatchMetrics(new Registry(), () => outbox.depth()),
  owner,
  settings: {
    ...defaultDispatchSettings,
    pollMs: 20,
    sendTimeoutMs: 2_000,
    leaseMs: Number(process.env.LEASE_MS ?? 4_000),
    // Small claims: each send is a few provider messages, well inside its deadline on a busy machine.
    batchLimit: 10,
    concurrency: REPLICA_CONCURRENCY,
  },
  onError: (what, message) => console.error(`${owner}: ${what}: ${message}`),
});
console.log(JSON.stringify({ msg: 'outbox replica started', owner }));

// The dispatcher's poll timer does not keep a process alive (the server does, in the backend): this does here.
const keepAlive = setInterval(() => undefined, 60_000);
process.once('SIGTERM', () => {
  clearInterval(keepAlive);
  void dispatcher
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0));
});
