import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { channelProviders, parseVoiceProviders } from './channel-providers.js';

describe('voice providers file', () => {
  it('takes YAML or JSON, fills the upstream endpoints, and refuses naming the path, never a value', () => {
    const parsed = parseVoiceProviders(
      'order: [twilio]\ntwilio: {accountSid: AC1, authToken: tok-secret, from: "+15005550006"}\n',
    );
    assert.deepEqual(parsed, {
      order: ['twilio'],
      twilio: {
        accountSid: 'AC1',
        authToken: 'tok-secret',
        from: '+15005550006',
        endpoint: 'https://api.twilio.com',
      },
    });
    const refused = parseVoiceProviders(
      '{"aliyun": {"accessKeyId": "id", "accessKeySecret": "very-secret"}}',
    );
    assert.ok('problem' in refused && refused.problem.startsWith('/aliyun'), JSON.stringify(refused));
    assert.ok(!JSON.stringify(refused).includes('very-secret'));
    assert.deepEqual(parseVoiceProviders('a: ['), { problem: 'is not YAML or JSON' });
  });

  it('the providers object is the same until a mounted file changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voice-'));
    const file = join(dir, 'voice.yaml');
    writeFileSync(file, 'twilio: {accountSid: AC1, authToken: t1, from: "+1"}\n');
    const warnings: object[] = [];
    const current = channelProviders(
      {
        wecomBaseUrl: 'http://w',
        wecomRateLimitBackoffMs: 60_000,
        smtp: undefined,
        voiceProvidersFile: file,
        timeoutMs: 1_000,
      },
      { warn: (fields) => warnings.push(fields) },
    );
    const first = current();
    assert.equal(first.voice?.twilio?.authToken, 't1');
    assert.equal(current(), first);
    writeFileSync(file, 'twilio: {accountSid: AC1, authToken: t2-longer, from: "+1"}\n');
    utimesSync(file, 2_000, 2_000); // a rotation is seen by its modification time
    const second = current();
    assert.notEqual(second, first);
    assert.equal(second.voice?.twilio?.authToken, 't2-longer');
    writeFileSync(file, 'twilio: {accountSid: AC1}\n');
    utimesSync(file, 3_000, 3_000);
    assert.equal(current().voice, undefined);
    assert.equal(warnings.length, 1);
    assert.ok(!JSON.stringify(warnings).includes('AC1'));
  });
});
