// Which channel a receiver gets, and the receiver errors instead of a channel when it cannot be built. Sending
// through each channel is tested in its own file and against the sandbox's stand-ins.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { Notification } from './channel.js';
import { buildChannel, type ChannelProviders } from './factory.js';

const providers: ChannelProviders = {
  wecomBaseUrl: 'http://127.0.0.1:1',
  smtp: { host: '127.0.0.1', port: 1, secure: false, from: 'alerts@example.test' },
  voice: {
    order: ['tencent', 'aliyun'],
    aliyun: { endpoint: 'http://127.0.0.1:1/', accessKeyId: 'id', accessKeySecret: 's', ttsCode: 'TTS_1' },
    tencent: {
      endpoint: 'http://127.0.0.1:1/',
      secretId: 'id',
      secretKey: 's',
      voiceSdkAppid: '1400000000',
      templateId: '1',
    },
  },
  timeoutMs: 500,
};
const note: Notification = {
  idempotencyKey: 'k',
  alertKey: 'a',
  status: 'firing',
  severity: 'critical',
  title: 't',
  markdown: 'm',
  text: 't',
  recipients: [{ mobile: '+8613800000000', email: 'x@example.test', wecomUserId: 'x' }],
};
const failure = async (channel: ReturnType<typeof buildChannel>) => {
  const outcome = await channel.send([note], AbortSignal.timeout(1_000));
  return outcome.kind === 'failed' ? [outcome.reason, outcome.providerAnswer] : outcome.kind;
};

describe('buildChannel', () => {
  it('builds each receiver type`s channel', () => {
    const secrets = new Map([
      ['webhookKey', 'k'],
      ['corpSecret', 's'],
      ['hmacKey', 'h'],
    ]);
    const types = [
      buildChannel({ type: 'wecom-robot', settings: {} }, secrets, providers),
      buildChannel({ type: 'wecom-app', settings: { corpId: 'c', agentId: '7' } }, secrets, providers),
      buildChannel({ type: 'email', settings: {} }, secrets, providers),
      buildChannel({ type: 'voice', settings: {} }, secrets, providers),
      buildChannel({ type: 'webhook', settings: { url: 'http://127.0.0.1:1/h' } }, secrets, providers),
    ].map((c) => c.type);
    assert.deepEqual(types, ['wecom-robot', 'wecom-app', 'email', 'voice', 'webhook']);
  });

  it('a receiver that cannot be built fails each send naming why, and never throws', async () => {
    const none = new Map<string, string>();
    assert.deepEqual(await failure(buildChannel({ type: 'wecom-robot', settings: {} }, none, providers)), [
      'CMDB_ALERTING_RECEIVER_SECRET_MISSING',
      'secret "webhookKey" has no value',
    ]);
    const app = buildChannel(
      { type: 'wecom-app', settings: { corpId: 'c', agentId: 'seven' } },
      new Map([['corpSecret', 's']]),
      providers,
    );
    assert.deepEqual(await failure(app), [
      'CMDB_ALERTING_RECEIVER_MISCONFIGURED',
      'setting "agentId" is not a positive integer',
    ]);
    const noSmtp = { ...providers, smtp: undefined };
    assert.deepEqual(await failure(buildChannel({ type: 'email', settings: {} }, none, noSmtp)), [
      'CMDB_ALERTING_RECEIVER_MISCONFIGURED',
      'no SMTP server is configured (ALERT_SMTP_HOST)',
    ]);
    assert.deepEqual(
      await failure(
        buildChannel({ type: 'voice', settings: { providers: 'aliyun,twilio' } }, none, providers),
      ),
      ['CMDB_ALERTING_RECEIVER_MISCONFIGURED', 'voice provider "twilio" is not configured'],
    );
    assert.deepEqual(
      await failure(buildChannel({ type: 'voice', settings: {} }, none, { ...providers, voice: undefined })),
      [
        'CMDB_ALERTING_RECEIVER_MISCONFIGURED',
        'no voice provider is configured (ALERT_VOICE_PROVIDERS_FILE)',
      ],
    );
    assert.deepEqual(
      await failure(buildChannel({ type: 'webhook', settings: { url: 'ftp://x' } }, none, providers)),
      ['CMDB_ALERTING_RECEIVER_MISCONFIGURED', 'setting "url" is not an http(s) URL'],
    );
  });

  it('a voice receiver`s providers setting orders failover; unset, the platform`s order', async () => {
    // Nothing listens on port 1: each provider is unavailable, and the answer lists them in the order tried.
    const tried = async (settings: Record<string, string>) => {
      const outcome = await buildChannel({ type: 'voice', settings }, new Map(), providers).send(
        [note],
        AbortSignal.timeout(2_000),
      );
      return [...(outcome.providerAnswer ?? '').matchAll(/(aliyun|tencent|twilio) /g)].map((m) => m[1]);
    };
    assert.deepEqual(await tried({}), ['tencent', 'aliyun']);
    assert.deepEqual(await tried({ providers: 'aliyun' }), ['aliyun']);
  });
});

describe('a WeCom app receiver`s settings reach the request', () => {
  it('toParty and toTag are sent as toparty and totag, and an invalid tag is reported for that tag', async () => {
    const bodies: Record<string, unknown>[] = [];
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        if (req.url!.startsWith('/cgi-bin/gettoken'))
          return res.end(JSON.stringify({ errcode: 0, access_token: 'tok', expires_in: 7200 }));
        bodies.push(JSON.parse(raw) as Record<string, unknown>);
        res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', invalidtag: '9' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const channel = buildChannel(
        { type: 'wecom-app', settings: { corpId: 'corp-tags', agentId: '7', toParty: '2', toTag: '5,9' } },
        new Map([['corpSecret', 's']]),
        { ...providers, wecomBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
      );
      const outcome = await channel.send([note], AbortSignal.timeout(2_000));
      assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
      assert.equal(bodies[0]!.toparty, '2');
      assert.equal(bodies[0]!.totag, '5|9');
      assert.deepEqual(
        outcome.kind === 'delivered' && outcome.perRecipient?.filter((r) => r.recipient.startsWith('tag:')),
        [
          { recipient: 'tag:5', outcome: 'delivered' },
          { recipient: 'tag:9', outcome: 'failed', detail: 'invalidtag' },
        ],
      );
    } finally {
      server.close();
    }
  });
});

describe("WeCom's 45009: the pause is the operator's setting", () => {
  it('a robot and an app answered 45009 wait wecomRateLimitBackoffMs, and WeCom`s minute without it', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url!.startsWith('/cgi-bin/gettoken'))
          return res.end(JSON.stringify({ errcode: 0, access_token: 'tok', expires_in: 7200 }));
        res.end(JSON.stringify({ errcode: 45009, errmsg: 'api freq out of limit' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const wecomBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    /** The outcome's retryAfterMs and how long the channel then holds sends back (rounded to seconds). */
    const pauseOf = async (spec: Parameters<typeof buildChannel>[0], backoff?: number) => {
      // A new key and corp each time: the process-wide send windows must not carry one case's block over.
      const secret = randomUUID();
      const channel = buildChannel(
        spec,
        new Map([
          ['webhookKey', secret],
          ['corpSecret', secret],
        ]),
        { ...providers, wecomBaseUrl, ...(backoff ? { wecomRateLimitBackoffMs: backoff } : {}) },
      );
      const outcome = await channel.send([note], AbortSignal.timeout(2_000));
      assert.equal(outcome.kind, 'retry', JSON.stringify(outcome));
      const held = Math.round((channel.nextSendAt(Date.now()) - Date.now()) / 1_000);
      return [outcome.kind === 'retry' ? outcome.retryAfterMs : undefined, held];
    };
    try {
      const robot = { type: 'wecom-robot' as const, settings: {} };
      const app = () => ({ type: 'wecom-app' as const, settings: { corpId: randomUUID(), agentId: '7' } });
      assert.deepEqual(await pauseOf(robot, 3_000), [3_000, 3]);
      assert.deepEqual(await pauseOf(app(), 3_000), [3_000, 3]);
      assert.deepEqual(await pauseOf(robot), [60_000, 60]);
    } finally {
      server.close();
    }
  });
});
