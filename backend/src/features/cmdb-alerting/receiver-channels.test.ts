// Receiver → channel over an in-memory receiver table and Secret reader, with the channels sending over real HTTP
// to a tiny local server that answers as WeCom's robot does. The Kubernetes side (Secrets by name through the
// apiserver) is exercised against the sandbox by tests/integration/cmdb-alerting/chain.test.ts.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import type { Notification } from '../../clients/channels/channel.js';
import type { ChannelProviders } from '../../clients/channels/factory.js';
import { SecretForbidden, type SecretData, type SecretReader } from '../../clients/kube-secrets.js';
import {
  ENTRY_OVERHEAD_BYTES,
  createReceiverChannels,
  entryBytes,
  splitReceiverRef,
} from './receiver-channels.js';

const KEY = 'robot-key-0b7d-secret';
let server: Server;
let baseUrl: string;
let keysSeen: (string | null)[];

before(async () => {
  server = createServer((req, res) => {
    req.resume().on('end', () => {
      keysSeen.push(new URL(req.url!, 'http://x').searchParams.get('key'));
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const note: Notification = {
  idempotencyKey: 'k1',
  alertKey: 'a1',
  status: 'firing',
  severity: 'critical',
  title: 'Pod crash looping',
  markdown: '**Pod crash looping**',
  text: 'Pod crash looping',
  recipients: [],
};

const robot = (name: string, secretNamespace = 'alpha-ops'): ReceiverInput => ({
  name,
  type: 'wecom-robot',
  settings: {},
  secretRefs: { webhookKey: { namespace: secretNamespace, name: 'robot', key: 'key' } },
  recipients: [],
});

describe('receiver channels', () => {
  let rows: Map<string, { spec: ReceiverInput; updatedAt: number }>;
  let secrets: Map<string, SecretData>;
  let reads: number;
  let failSecrets: Error | undefined;
  let clock: number;
  let providers: ChannelProviders;
  const reader: SecretReader = {
    async read(namespace, name) {
      reads++;
      if (failSecrets) throw failSecrets;
      return secrets.get(`${namespace}/${name}`);
    },
  };
  const make = (maxBytes = 1024 * 1024) =>
    createReceiverChannels({
      receivers: { get: async (owner, name) => rows.get(`${owner}/${name}`) as never },
      secrets: reader,
      workspaceOf: async () => new Map([['alpha-ops', 'alpha']]),
      providers: () => providers,
      recheckMs: 1_000,
      maxBytes,
      now: () => clock,
    });
  const secret = (value: string, resourceVersion: string, annotations = {}): SecretData => ({
    resourceVersion,
    data: new Map([['key', value]]),
    annotations,
  });

  beforeEach(() => {
    rows = new Map([['alpha/ops', { spec: robot('ops'), updatedAt: 1 }]]);
    secrets = new Map([['alpha-ops/robot', secret(KEY, '10')]]);
    reads = 0;
    failSecrets = undefined;
    clock = 0;
    keysSeen = [];
    providers = { wecomBaseUrl: baseUrl, timeoutMs: 2_000 };
  });

  it('builds the receiver type`s channel with the value of its Secret, and caches it', async () => {
    const channels = make();
    const channel = await channels.channelFor('alpha/ops');
    assert.equal(channel?.type, 'wecom-robot');
    const outcome = await channel!.send([note], AbortSignal.timeout(2_000));
    assert.equal(outcome.kind, 'delivered');
    assert.deepEqual(keysSeen, [KEY], 'the key read from the Secret reaches the provider');
    assert.equal(await channels.channelFor('alpha/ops'), channel, 'cached');
    assert.equal(reads, 1);
  });

  it('rebuilds when the receiver is edited or its Secret changes, and only looks again after recheckMs', async () => {
    const channels = make();
    const first = await channels.channelFor('alpha/ops');
    secrets.set('alpha-ops/robot', secret('rotated-key', '11'));
    clock = 999;
    assert.equal(await channels.channelFor('alpha/ops'), first, 'within recheckMs nothing is read');
    clock = 1_000;
    const second = await channels.channelFor('alpha/ops');
    assert.notEqual(second, first, 'a new resourceVersion rebuilds');
    await second!.send([note], AbortSignal.timeout(2_000));
    assert.deepEqual(keysSeen, ['rotated-key']);
    clock = 2_000;
    assert.equal(await channels.channelFor('alpha/ops'), second, 'unchanged: the same channel');
    rows.set('alpha/ops', { spec: { ...robot('ops'), settings: { mentionAll: 'true' } }, updatedAt: 2 });
    clock = 3_000;
    assert.notEqual(await channels.channelFor('alpha/ops'), second, 'an edited receiver rebuilds');
  });

  it('a missing Secret or key fails each send naming it, and the channel works once the Secret exists', async () => {
    secrets.delete('alpha-ops/robot');
    const channels = make();
    const broken = await channels.channelFor('alpha/ops');
    const outcome = await broken!.send([note], AbortSignal.timeout(1_000));
    assert.deepEqual(outcome, {
      kind: 'failed',
      reason: 'CMDB_ALERTING_RECEIVER_SECRET_MISSING',
      providerAnswer: 'Secret alpha-ops/robot does not exist (webhookKey)',
    });
    secrets.set('alpha-ops/robot', {
      resourceVersion: '12',
      data: new Map([['other', 'x']]),
      annotations: {},
    });
    clock = 1_000;
    const noKey = await (await channels.channelFor('alpha/ops'))!.send([note], AbortSignal.timeout(1_000));
    assert.equal(
      noKey.kind === 'failed' && noKey.providerAnswer,
      'Secret alpha-ops/robot has no key "key" (webhookKey)',
    );
    secrets.set('alpha-ops/robot', secret(KEY, '13'));
    clock = 2_000;
    const fixed = await (await channels.channelFor('alpha/ops'))!.send([note], AbortSignal.timeout(2_000));
    assert.equal(fixed.kind, 'delivered');
    assert.deepEqual(keysSeen, [KEY], 'nothing was sent while the Secret was missing');
  });

  it("a workspace's receiver uses Secrets of its projects or granted to it, never another's; the cluster's any", async () => {
    rows.set('alpha/thief', { spec: robot('thief', 'kube-system'), updatedAt: 1 });
    rows.set('alpha/gone', { spec: robot('gone', 'elsewhere'), updatedAt: 1 });
    rows.set('alpha/granted', { spec: robot('granted', 'extension-cmdb-alerting'), updatedAt: 1 });
    rows.set('/platform', { spec: robot('platform', 'kube-system'), updatedAt: 1 });
    secrets.set('kube-system/robot', secret('platform-key', '1'));
    secrets.set(
      'extension-cmdb-alerting/robot',
      secret('alpha-key', '1', { 'cmdb-alerting.ks-gpu-ml.io/workspaces': 'beta, alpha' }),
    );
    const channels = make();
    const send = async (ref: string) =>
      (await channels.channelFor(ref))!.send([note], AbortSignal.timeout(2_000));
    const stolen = await send('alpha/thief');
    assert.equal(stolen.kind === 'failed' && stolen.reason, 'CMDB_ALERTING_RECEIVER_SECRET_FORBIDDEN');
    assert.match(String(stolen.kind === 'failed' && stolen.providerAnswer), /kube-system\/robot is neither/);
    const gone = await send('alpha/gone');
    assert.equal(
      gone.kind === 'failed' && gone.reason,
      'CMDB_ALERTING_RECEIVER_SECRET_FORBIDDEN',
      'absent looks like not granted: a workspace learns nothing of other namespaces',
    );
    assert.equal((await send('alpha/granted')).kind, 'delivered');
    assert.equal((await send('platform')).kind, 'delivered');
    assert.deepEqual(keysSeen, ['alpha-key', 'platform-key']);
  });

  it('a Secret the backend may not read is a receiver error; an apiserver outage keeps the channel it had', async () => {
    failSecrets = new SecretForbidden('alpha-ops', 'robot');
    const forbidden = await (await make().channelFor('alpha/ops'))!.send([note], AbortSignal.timeout(1_000));
    assert.equal(forbidden.kind === 'failed' && forbidden.reason, 'CMDB_ALERTING_RECEIVER_SECRET_UNREADABLE');
    failSecrets = undefined;
    const channels = make();
    const had = await channels.channelFor('alpha/ops');
    failSecrets = new Error('connect ECONNREFUSED');
    clock = 5_000;
    assert.equal(await channels.channelFor('alpha/ops'), had);
    await assert.rejects(make().channelFor('alpha/ops'), /ECONNREFUSED/, 'nothing cached: the caller waits');
  });

  it('a deleted receiver has no channel, and the cache is bounded in bytes, least recently used first', async () => {
    for (const name of ['a', 'b', 'c']) rows.set(`alpha/${name}`, { spec: robot(name), updatedAt: 1 });
    const one = entryBytes('alpha/a', robot('a'), {
      version: '1 alpha-ops/robot@10',
      values: new Map([['webhookKey', KEY]]),
    });
    const channels = make(2 * one + one / 2);
    for (const name of ['a', 'b', 'c']) assert.ok(await channels.channelFor(`alpha/${name}`));
    assert.equal(channels.size(), 2);
    assert.equal(channels.bytes(), 2 * one);
    reads = 0;
    await channels.channelFor('alpha/b');
    assert.equal(reads, 0, 'b is still cached');
    await channels.channelFor('alpha/a');
    assert.equal(reads, 1, 'a was dropped, the least recently used');
    rows.delete('alpha/b');
    clock = 1_000;
    assert.equal(await channels.channelFor('alpha/b'), undefined);
    assert.equal(channels.size(), 1);
    assert.equal(channels.bytes(), one);
  });

  it('a receiver with many recipients weighs more, so fewer of them fit', async () => {
    const crowd = {
      ...robot('crowd'),
      recipients: Array.from({ length: 100 }, (_, i) => ({ name: `person-${i}`, mobile: `+86138000${i}` })),
    };
    rows.set('alpha/crowd', { spec: crowd, updatedAt: 1 });
    rows.set('alpha/small', { spec: robot('small'), updatedAt: 1 });
    const channels = make(ENTRY_OVERHEAD_BYTES + 3_000);
    await channels.channelFor('alpha/crowd');
    assert.ok(
      channels.bytes() > ENTRY_OVERHEAD_BYTES + 3_000,
      'the newest entry always stays, however large',
    );
    await channels.channelFor('alpha/small');
    assert.equal(channels.size(), 1, 'the large one made room');
    assert.ok(channels.bytes() < ENTRY_OVERHEAD_BYTES + 3_000);
  });

  it('a new providers object (a rotated key file) rebuilds', async () => {
    const channels = make();
    const first = await channels.channelFor('alpha/ops');
    providers = { ...providers };
    clock = 1_000;
    assert.notEqual(await channels.channelFor('alpha/ops'), first);
  });

  it('splits receiver references', () => {
    assert.deepEqual(splitReceiverRef('alpha/ops'), { owner: 'alpha', name: 'ops' });
    assert.deepEqual(splitReceiverRef('ops'), { owner: '', name: 'ops' });
  });
});
