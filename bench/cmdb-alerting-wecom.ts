// The WeCom part of benchmark `cmdb-alerting`: the storm's notifications for one group robot in the outbox (SQLite),
// sent by the real dispatcher through the real robot channel to the sandbox's WeCom stand-in, which enforces the
// documented 20 messages a minute per key (45009 beyond) in real time. Read back from the stand-in's received log:
// the most messages it accepted in any 60 s, the 45009 refusals, and how many alerts the accepted messages
// represent (each alert's line, plus the "… +N" count of a summarised message), which must be the whole storm.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createWecomRobotChannel } from '../backend/src/clients/channels/wecom-robot.js';
import { SendWindows } from '../backend/src/clients/channels/wecom-send-window.js';
import { createStore } from '../backend/src/clients/store/index.js';
import { createOutboxStore } from '../backend/src/clients/store/outbox.js';
import { createDispatchMetrics } from '../backend/src/features/cmdb-alerting/dispatch-metrics.js';
import { defaultDispatchSettings, startDispatcher } from '../backend/src/features/cmdb-alerting/dispatch.js';
import { waitFor } from '../tests/sandbox/src/wait.js';

interface Received {
  at: number;
  errcode: number;
  body: { msgtype?: string; markdown?: { content: string } } | null;
}

/** Alerts one message stands for: its alert lines (`**alert N**` in full, `🔥 **critical** alert N` compact) and "… +N". */
export function alertsIn(content: string): number {
  const lines = content.split('\n');
  const shown = lines.filter((l) => /^\*\*alert \d+\*\*$|^(🔥|✅) \*\*\w+\*\* alert \d+$/.test(l)).length;
  const more = lines.reduce((n, l) => n + Number(/^… \+(\d+)$/.exec(l)?.[1] ?? 0), 0);
  return shown + more;
}

/** The most timestamps within any `windowMs` (a sliding window over sorted times). */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

export async function wecomStorm(wecomUrl: string, total: number) {
  const key = randomUUID();
  const standIn = async (path: string, body?: object) => {
    const response = await fetch(new URL(path, wecomUrl), {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status !== 200) throw new Error(`WeCom stand-in ${path}: HTTP ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  await standIn('/_stand-in/config', { robots: [key] });
  const store = createStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'bench-wecom-')), 'outbox.sqlite')}`);
  await store.migrate();
  const outbox = createOutboxStore(store);
  const channel = createWecomRobotChannel({
    key,
    baseUrl: wecomUrl,
    windows: new SendWindows(20, 60_000),
    timeoutMs: 10_000,
  });
  await outbox.enqueue(
    Array.from({ length: total }, (_, i) => ({
      receiver: 'ops-robot',
      notification: {
        idempotencyKey: `wecom-${i}`,
        alertKey: `alert-${i}`,
        status: 'firing' as const,
        severity: 'critical',
        title: `alert ${i}`,
        markdown: `**alert ${i}**`,
        text: `alert ${i}`,
        recipients: [],
      },
    })),
    Date.now(),
  );
  const started = performance.now();
  // The production settings (batches of 100, 1 s polls): only the store and the provider are the bench's.
  const dispatcher = startDispatcher({
    outbox,
    channelFor: () => channel,
    metrics: createDispatchMetrics(new Registry(), () => outbox.depth()),
    owner: 'bench',
    settings: defaultDispatchSettings,
    onError: (what, message) => console.error(`# wecom storm: ${what}: ${message}`),
  });
  try {
    await waitFor(
      'every notification of the WeCom storm delivered',
      async () => (await outbox.depth()).delivered === total || undefined,
      { timeoutMs: 15 * 60_000, intervalMs: 1_000 },
    );
  } finally {
    await dispatcher.stop();
    await store.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const received = (await standIn(`/_stand-in/received?target=${encodeURIComponent(key)}`)) as Received[];
  const accepted = received.filter((r) => r.errcode === 0);
  return {
    seconds,
    maxPerMinute: maxInWindow(
      accepted.map((r) => r.at),
      60_000,
    ),
    messages: accepted.length,
    refused45009: received.filter((r) => r.errcode === 45009).length,
    represented: accepted.reduce((n, r) => n + alertsIn(r.body?.markdown?.content ?? ''), 0),
  };
}
