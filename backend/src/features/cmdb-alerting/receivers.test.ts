import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import { receiverIssues } from './receivers.js';

const ref = { namespace: 'extension-cmdb-alerting', name: 'wecom', key: 'k' };
const app: ReceiverInput = {
  name: 'app',
  type: 'wecom-app',
  settings: { corpId: 'ww1', agentId: '1000002' },
  secretRefs: { corpSecret: ref },
  recipients: [{ wecomUserId: 'lilei' }],
};
const fields = (input: ReceiverInput) => receiverIssues(input).map((i) => i.field);

describe('receiverIssues', () => {
  it('accepts a complete receiver of each kind', () => {
    assert.deepEqual(fields(app), []);
    const robot = {
      ...app,
      type: 'wecom-robot' as const,
      settings: {},
      secretRefs: { webhookKey: ref },
      recipients: [],
    };
    assert.deepEqual(fields(robot), []);
  });

  it('names required settings and secret references that are missing', () => {
    assert.deepEqual(fields({ ...app, settings: { corpId: 'ww1' }, secretRefs: {} }), [
      'body.settings.agentId',
      'body.secretRefs.corpSecret',
    ]);
  });

  it('refuses a setting the type does not take, so a secret cannot hide in settings', () => {
    const issues = receiverIssues({ ...app, settings: { ...app.settings, corpSecret: 'plain' } });
    assert.deepEqual(
      issues.map((i) => i.field),
      ['body.settings.corpSecret'],
    );
    assert.match(issues[0]!.problem, /takes corpId, agentId, toParty, toTag/);
  });

  it('needs a person with the channel`s field: none at all, or one without it', () => {
    assert.deepEqual(fields({ ...app, recipients: [] }), ['body.recipients']);
    assert.deepEqual(fields({ ...app, recipients: [{ wecomUserId: 'a' }, { mobile: '+86138' }] }), [
      'body.recipients.1.wecomUserId',
    ]);
  });

  it('takes a message language of en or zh for every type, and names anything else', () => {
    assert.deepEqual(fields({ ...app, settings: { ...app.settings, language: 'zh' } }), []);
    const issues = receiverIssues({ ...app, settings: { ...app.settings, language: 'fr' } });
    assert.deepEqual(issues, [{ field: 'body.settings.language', problem: 'must be one of en, zh' }]);
  });

  it('takes cc as email addresses separated by commas', () => {
    const mail: ReceiverInput = {
      ...app,
      type: 'email',
      settings: {},
      secretRefs: {},
      recipients: [{ email: 'a@b.c' }],
    };
    assert.deepEqual(fields({ ...mail, settings: { cc: 'x@bank.example, y@bank.example' } }), []);
    assert.deepEqual(receiverIssues({ ...mail, settings: { cc: 'x@bank.example, nobody' } }), [
      { field: 'body.settings.cc', problem: 'must be email addresses separated by commas' },
    ]);
  });

  it('takes mentionAll as true or false only', () => {
    const robot: ReceiverInput = {
      ...app,
      type: 'wecom-robot',
      settings: {},
      secretRefs: { webhookKey: ref },
      recipients: [],
    };
    assert.deepEqual(fields({ ...robot, settings: { mentionAll: 'true' } }), []);
    assert.deepEqual(fields({ ...robot, settings: { mentionAll: 'yes' } }), ['body.settings.mentionAll']);
  });
});
