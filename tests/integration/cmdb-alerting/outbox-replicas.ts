// Shared by outbox-replicas.test.ts and bench/cmdb-alerting.ts: a stand-in provider that records what the recording
// test channel of each replica sends, a replica process, and a storm of notifications.
import { spawn, type ChildProcess } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { OutboxEntry } from '../../../backend/src/clients/store/outbox.js';
import { startHttpStandIn } from '../../../backend/src/clients/test-http-stand-in.js';
import { repoRoot } from '../../sandbox/src/env.js';

/**
 * The stand-in provider on a loopback port (`url`, `stop` closes it and the held send): counts each key's requests;
 * answers all but the send it is told to hold.
 */
export async function startRecorder() {
  const requests = new Map<string, number>();
  const held: { keys: string[]; response?: ServerResponse } = { keys: [] };
  let holdOwner: string | undefined;
  let holdAfter = 0;
  let onHold: (() => void) | undefined;
  const standIn = await startHttpStandIn((_req, body, res) => {
    const { owner, keys } = JSON.parse(body) as { owner: string; keys: string[] };
    for (const key of keys) requests.set(key, (requests.get(key) ?? 0) + 1);
    if (owner === holdOwner && held.keys.length === 0 && holdAfter-- <= 0) {
      held.keys = keys;
      held.response = res; // the provider has the message; the replica never hears back
      onHold?.();
      return;
    }
    res.end(JSON.stringify({ errcode: 0, accepted: keys.length }));
  });
  /** Holds the send of `owner` that comes after `after` others of its sends were answered. */
  const holdNextSendOf = (owner: string, after = 0) =>
    new Promise<void>((resolve) => {
      holdOwner = owner;
      holdAfter = after;
      onHold = resolve;
    });
  return { url: `${standIn.url}/`, stop: standIn.stop, requests, held, holdNextSendOf };
}

/** Sends a replica has under way at once (receivers served concurrently; each sends one notification at a time). */
export const REPLICA_CONCURRENCY = 4;

export function startReplica(owner: string, storeUrl: string, recorderUrl: string): ChildProcess {
  const worker = join(repoRoot, 'tests/integration/cmdb-alerting/outbox-replica-worker.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', worker], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, STORE_URL: storeUrl, RECORDER_URL: recorderUrl, OWNER: owner },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

export const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/**
 * `total` firing notifications, one per alert: spread over `receivers` receivers (`receiver-<n>`), or all for the
 * one receiver named; idempotency keys `<keyPrefix>-<i>`, each to `recipients`.
 */
export const outboxEntries = (
  total: number,
  receivers: number | string,
  {
    keyPrefix = 'key',
    recipients = [{ name: 'on-call' }],
  }: { keyPrefix?: string; recipients?: OutboxEntry['notification']['recipients'] } = {},
): OutboxEntry[] =>
  Array.from({ length: total }, (_, i) => ({
    receiver: typeof receivers === 'string' ? receivers : `receiver-${i % receivers}`,
    notification: {
      idempotencyKey: `${keyPrefix}-${i}`,
      alertKey: `alert-${i}`,
      status: 'firing' as const,
      severity: 'critical',
      title: `alert ${i}`,
      markdown: `**alert ${i}**`,
      text: `alert ${i}`,
      recipients,
    },
  }));
