// Owners on their own channels against the stand-ins: the alert's business system comes from the CMDB stand-in
// (NetBox API, started in-process), the escalation step names the system's owners through a WeCom app receiver and,
// for critical alerts of a P1 system, through a phone receiver; the notifications the engine hands the outbox are
// sent by the real channels to the sandbox's WeCom stand-in (an app message to the owner's user id) and voice
// stand-in (a call to the owner's mobile). A warning on the same system calls nobody.
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { EscalationPolicyInput, ReceiverInput } from '@ks-gpu-ml/contracts';
import { createCachedCmdb } from '../../../backend/src/clients/cmdb/cached.js';
import { createNetboxAdapter } from '../../../backend/src/clients/cmdb/netbox.js';
import type { Notification } from '../../../backend/src/clients/channels/channel.js';
import { createTencentVoice } from '../../../backend/src/clients/channels/voice/tencent.js';
import { createVoiceChannel } from '../../../backend/src/clients/channels/voice/voice.js';
import { AppTokens } from '../../../backend/src/clients/channels/wecom-app-token.js';
import { createWecomAppChannel } from '../../../backend/src/clients/channels/wecom-app.js';
import { SendWindows } from '../../../backend/src/clients/channels/wecom-send-window.js';
import { createConfigStore } from '../../../backend/src/clients/store/alert-config.js';
import { createEscalationStore } from '../../../backend/src/clients/store/alert-escalation.js';
import { createAlertIntakeStore } from '../../../backend/src/clients/store/alert-intake.js';
import { createStore } from '../../../backend/src/clients/store/index.js';
import { defaultBusinessMapping } from '../../../backend/src/features/cmdb-alerting/business-resolve.js';
import { createEnricher } from '../../../backend/src/features/cmdb-alerting/enrich.js';
import { createEscalationEngine } from '../../../backend/src/features/cmdb-alerting/escalation.js';
import { toIntakeBatch } from '../../../backend/src/features/cmdb-alerting/service.js';
import { alertFixture, batchFixture } from '../../../backend/src/features/cmdb-alerting/test-fixtures.js';
import { createTranslator, shippedCatalogues } from '../../../backend/src/core/i18n.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { CmdbState, standInCredentials as creds } from '../../sandbox/stand-ins/cmdb/state.js';
import { startCmdbStandIn, type RunningCmdbStandIn } from './cmdb-stand-in.js';

const sandbox = readSandboxEnv();
const wecomBase = sandbox.WECOM_API_URL!;
const voiceBase = sandbox.VOICE_STANDIN_URL!;
const voiceKeys = JSON.parse(readFileSync(sandbox.VOICE_STANDIN_CREDENTIALS!, 'utf8')) as {
  tencent: { secretId: string; secretKey: string };
};
const run = randomUUID().slice(0, 8);
const system = `owners-${run}`;
const namespace = `prod-${run}`;
const mobile = `+86137${String(randomInt(10_000_000, 99_999_999))}`;
const corpId = `ww${run}`;
const corpSecret = randomUUID();

const state = new CmdbState();
let cmdbServer: RunningCmdbStandIn | undefined;
let cmdbBase = '';
before(async () => {
  cmdbServer = await startCmdbStandIn(state);
  cmdbBase = cmdbServer.url;
  const sys = state.upsertSystem({ name: system, importance: 'P1', namespaces: [namespace] });
  sys.contacts[0]!.mobile = mobile;
  const res = await fetch(new URL('/_stand-in/config', wecomBase), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apps: [{ corpId, corpSecret, agentId: 1000002 }], users: [`${system}-owner`] }),
  });
  assert.equal(res.status, 200);
});
after(() => cmdbServer?.stop());

const receiver = (
  name: string,
  type: ReceiverInput['type'],
  settings: Record<string, string>,
): ReceiverInput => ({
  name,
  type,
  settings,
  secretRefs: {},
  recipients: [{ name: 'not an owner', wecomUserId: 'someone-else', mobile: '+8613000000000' }],
});

async function escalate(severity: string): Promise<{ receiver: string; notification: Notification }[]> {
  const store = createStore('sqlite::memory:');
  await store.migrate();
  try {
    const receivers = createConfigStore<ReceiverInput>(store, 'alert_receiver');
    const policies = createConfigStore<EscalationPolicyInput>(store, 'alert_policy');
    await receivers.create('', 'app', receiver('app', 'wecom-app', { corpId, agentId: '1000002' }), 0);
    await receivers.create('', 'phone', receiver('phone', 'voice', {}), 0);
    await policies.create(
      '',
      'owners',
      {
        name: 'owners',
        matchLabels: { run },
        steps: [
          {
            receivers: [],
            contacts: [
              { who: 'owners', via: 'app' },
              { who: 'owners', via: 'phone', severities: ['critical'], importance: ['P1'] },
            ],
            waitSeconds: 600,
          },
        ],
        repeat: 0,
      },
      0,
    );
    const entries: { receiver: string; notification: Notification }[] = [];
    const cmdb = createCachedCmdb(
      createNetboxAdapter({ baseUrl: cmdbBase, token: () => creds.netboxToken }),
      {
        ttlMs: 60_000,
        lastKnownMs: 600_000,
        maxBytes: 1 << 20,
        deadlineMs: 5_000,
      },
    );
    const engine = createEscalationEngine({
      store: createEscalationStore(store),
      receivers,
      policies,
      workspaceOf: async () => undefined,
      outbox: { enqueue: async (e) => (entries.push(...e), e.length), cancelPending: async () => 0 },
      enrich: createEnricher({
        // The pod is gone from the cluster: the CMDB's record of its namespace names the system.
        owners: { ownerChain: async () => [], namespace: async () => undefined },
        cmdb,
        config: defaultBusinessMapping,
        translate: createTranslator(shippedCatalogues()),
      }),
      secondMs: 1000,
      now: Date.now,
    });
    const alert = alertFixture(randomInt(1, 1_000_000), {
      labels: { alertname: 'KubePodCrashLooping', namespace, pod: 'api-0', severity, run },
      startsAt: new Date().toISOString(),
    });
    await createAlertIntakeStore(store).record(toIntakeBatch(batchFixture([alert]), Date.now()));
    await engine.tick();
    await engine.tick();
    return entries;
  } finally {
    await store.close();
  }
}

const log = { warn: () => undefined };
const app = createWecomAppChannel({
  corpId,
  corpSecret,
  agentId: 1000002,
  baseUrl: wecomBase,
  tokens: new AppTokens(5000),
  windows: new SendWindows(30, 60_000),
  log,
});
const phone = createVoiceChannel([
  createTencentVoice({
    endpoint: `${voiceBase}/tencent/`,
    ...voiceKeys.tencent,
    voiceSdkAppid: '1400000000',
    templateId: '100',
  }),
]);

describe('owners on their own channels, through the stand-ins', () => {
  it('a critical alert of a P1 system: a WeCom app message to its owner and a call to the owner', async () => {
    const entries = await escalate('critical');
    assert.deepEqual(entries.map((e) => e.receiver).sort(), ['app', 'phone']);
    const toApp = entries.find((e) => e.receiver === 'app')!.notification;
    assert.deepEqual(
      toApp.recipients.map((r) => r.wecomUserId),
      [`${system}-owner`],
    );
    const delivered = await app.send([toApp], AbortSignal.timeout(10_000));
    assert.equal(delivered.kind, 'delivered', JSON.stringify(delivered));
    const calls = (await (
      await fetch(new URL(`/_stand-in/received?target=${encodeURIComponent(corpId)}`, wecomBase))
    ).json()) as { api: string; body: { touser?: string; markdown?: { content: string } } }[];
    const message = calls.find((c) => c.api === 'message')!;
    assert.equal(message.body.touser, `${system}-owner`);
    assert.match(message.body.markdown?.content ?? '', new RegExp(system));
    const toPhone = entries.find((e) => e.receiver === 'phone')!.notification;
    assert.deepEqual(
      toPhone.recipients.map((r) => r.mobile),
      [mobile],
    );
    const called = await phone.send([toPhone], AbortSignal.timeout(10_000));
    assert.equal(called.kind, 'delivered', JSON.stringify(called));
    const placed = (await (await fetch(`${voiceBase}/control/tencent/received`)).json()) as {
      params: Record<string, unknown>;
    }[];
    assert.ok(placed.some((p) => p.params.CalledNumber === mobile));
  });

  it('a warning on the same system reaches the owner by WeCom only: no call', async () => {
    const entries = await escalate('warning');
    assert.deepEqual(
      entries.map((e) => e.receiver),
      ['app'],
    );
  });
});
