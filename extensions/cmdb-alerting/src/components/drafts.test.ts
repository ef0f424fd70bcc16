import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Receiver } from '@ks-gpu-ml/contracts';
import {
  emptyPolicyDraft,
  emptyReceiverDraft,
  matcherText,
  policyBody,
  policyDraftOf,
  receiverBody,
  receiverDraftOf,
  silenceBody,
} from './drafts.js';

test('a WeCom robot needs its key as a Secret reference, never a value; all three parts or none', () => {
  const draft = { ...emptyReceiverDraft('wecom-robot'), name: 'ops-robot' };
  assert.deepEqual(receiverBody(draft), { problem: { field: 'secrets.webhookKey', key: 'secretRef' } });
  draft.secrets = { webhookKey: { namespace: 'alerting', name: 'robot', key: '' } };
  assert.deepEqual(receiverBody(draft), { problem: { field: 'secrets.webhookKey', key: 'secretRef' } });
  draft.secrets.webhookKey!.key = 'key';
  draft.settings = { mentionAll: 'true', corpId: 'not-a-robot-setting' };
  assert.deepEqual(receiverBody(draft), {
    body: {
      name: 'ops-robot',
      type: 'wecom-robot',
      settings: { mentionAll: 'true' },
      secretRefs: { webhookKey: { namespace: 'alerting', name: 'robot', key: 'key' } },
      recipients: [],
    },
  });
});

test('recipients are one a line, `Name: value` or the value; a bad one names its line', () => {
  const draft = {
    ...emptyReceiverDraft('voice'),
    name: 'phones',
    recipients: 'Owner: +8613800000001\n\n+8613800000002',
  };
  const built = receiverBody(draft);
  if (!('body' in built)) throw new Error('no body');
  assert.deepEqual(built.body.recipients, [
    { name: 'Owner', mobile: '+8613800000001' },
    { mobile: '+8613800000002' },
  ]);
  assert.deepEqual(receiverBody({ ...draft, recipients: '+861\nBackup: 12ab' }), {
    problem: { field: 'recipients', key: 'recipient.mobile', params: { line: 1 } },
  });
  assert.deepEqual(receiverBody({ ...draft, name: 'Bad Name' }), { problem: { field: 'name', key: 'name' } });
});

test('a receiver read back makes the same body (edit round trip); required settings are required', () => {
  const receiver: Receiver = {
    name: 'app',
    type: 'wecom-app',
    settings: { corpId: 'ww1', agentId: '1000002' },
    secretRefs: { corpSecret: { namespace: 'alerting', name: 'wecom', key: 'secret' } },
    recipients: [{ name: 'Li', wecomUserId: 'LiLei' }],
    updatedAt: '2026-12-06T01:00:00Z',
  };
  const { updatedAt: _u, ...input } = receiver;
  assert.deepEqual(receiverBody(receiverDraftOf(receiver)), { body: input });
  const draft = receiverDraftOf(receiver);
  draft.settings.agentId = ' ';
  assert.deepEqual(receiverBody(draft), { problem: { field: 'settings.agentId', key: 'required' } });
});

test('a policy: steps after N minutes to receivers, labels `k=v`, acks and repeat checked', () => {
  const draft = {
    ...emptyPolicyDraft(),
    name: 'crit',
    matchLabels: 'severity=critical\n',
    steps: [
      { receivers: 'ops-robot', waitMinutes: '5', acksRequired: '1' },
      { receivers: 'owner, backup', waitMinutes: '0.5', acksRequired: '2' },
    ],
    repeat: '2',
  };
  assert.deepEqual(policyBody(draft), {
    body: {
      name: 'crit',
      matchLabels: { severity: 'critical' },
      steps: [
        { receivers: ['ops-robot'], waitSeconds: 300 },
        { receivers: ['owner', 'backup'], waitSeconds: 30, acksRequired: 2 },
      ],
      repeat: 2,
    },
  });
  const built = policyBody(draft);
  if (!('body' in built)) throw new Error('no body');
  assert.deepEqual(policyBody(policyDraftOf({ ...built.body, updatedAt: 'x' })), built);
  assert.deepEqual(policyBody({ ...draft, steps: [{ ...draft.steps[0]!, receivers: ' , ' }] }), {
    problem: { field: 'steps.0.receivers', key: 'stepReceivers', params: { step: 1 } },
  });
  assert.deepEqual(policyBody({ ...draft, steps: [{ ...draft.steps[0]!, waitMinutes: 'soon' }] }), {
    problem: { field: 'steps.0.waitMinutes', key: 'wait', params: { step: 1 } },
  });
  assert.deepEqual(policyBody({ ...draft, repeat: '11' }), { problem: { field: 'repeat', key: 'repeat' } });
  assert.deepEqual(policyBody({ ...draft, matchLabels: '=x' }), {
    problem: { field: 'matchLabels', key: 'label', params: { line: 1 } },
  });
});

test('silence matchers in the four operators; written back as Alertmanager writes them', () => {
  const built = silenceBody({
    matchers: 'alertname="KubePodCrashLooping"\nnamespace=~alpha-.*\nseverity!=info\njob!~node.*',
    durationMinutes: '90',
    comment: 'maintenance',
  });
  if (!('body' in built)) throw new Error('no body');
  assert.deepEqual(built.body.matchers, [
    { name: 'alertname', value: 'KubePodCrashLooping', isRegex: false, isEqual: true },
    { name: 'namespace', value: 'alpha-.*', isRegex: true, isEqual: true },
    { name: 'severity', value: 'info', isRegex: false, isEqual: false },
    { name: 'job', value: 'node.*', isRegex: true, isEqual: false },
  ]);
  assert.deepEqual(built.body.matchers.map(matcherText), [
    'alertname="KubePodCrashLooping"',
    'namespace=~"alpha-.*"',
    'severity!="info"',
    'job!~"node.*"',
  ]);
  assert.deepEqual(silenceBody({ matchers: '', durationMinutes: '5', comment: 'x' }), {
    problem: { field: 'matchers', key: 'noMatchers' },
  });
  assert.deepEqual(silenceBody({ matchers: 'a=b', durationMinutes: '0', comment: 'x' }), {
    problem: { field: 'durationMinutes', key: 'duration' },
  });
  assert.deepEqual(silenceBody({ matchers: '1bad=b', durationMinutes: '5', comment: 'x' }), {
    problem: { field: 'matchers', key: 'matcher', params: { line: 1 } },
  });
});
