import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyPolicyDraft, policyBody, policyDraftOf } from './drafts.js';
import { netboxSettings } from '../testing/fixtures.js';
import { cmdbBody, cmdbDraftOf, emptyCmdbDraft, contactsText, parseContacts } from './routing-drafts.js';

test('a step reaching only the system people: contacts a line, conditions kept, round trip', () => {
  const draft = {
    ...emptyPolicyDraft(),
    name: 'people',
    steps: [
      {
        receivers: '',
        waitMinutes: '10',
        acksRequired: '1',
        contacts: 'owners via wecom-app\nowners via phone if severity=critical importance=P1,P0\n',
      },
    ],
  };
  const built = policyBody(draft);
  assert.deepEqual<unknown>(built, {
    body: {
      name: 'people',
      matchLabels: {},
      steps: [
        {
          receivers: [],
          waitSeconds: 600,
          contacts: [
            { who: 'owners', via: 'wecom-app' },
            { who: 'owners', via: 'phone', severities: ['critical'], importance: ['P1', 'P0'] },
          ],
        },
      ],
      repeat: 0,
    },
  });
  if (!('body' in built)) throw new Error('no body');
  assert.deepEqual(policyBody(policyDraftOf({ ...built.body, updatedAt: 'x' })), built);
  assert.deepEqual(policyBody({ ...draft, steps: [{ ...draft.steps[0]!, contacts: 'boss via phone' }] }), {
    problem: { field: 'steps.0.contacts', key: 'contact', params: { step: 1, line: 1 } },
  });
  assert.deepEqual(policyBody({ ...draft, steps: [{ ...draft.steps[0]!, contacts: '' }] }), {
    problem: { field: 'steps.0.receivers', key: 'stepReceivers', params: { step: 1 } },
  });
  assert.deepEqual(parseContacts('maintainers via mail if team=x'), { line: 1 });
  assert.equal(contactsText([{ who: 'maintainers', via: 'mail' }]), 'maintainers via mail');
});

test('CMDB settings: a half Secret reference, a bad deadline and bad JSON are refused first; round trip', () => {
  const netbox = {
    ...emptyCmdbDraft(),
    url: 'https://netbox.example.com',
    secretNamespace: 'kube-system',
    secretName: 'cmdb',
    secretKey: 'token',
  };
  const built = cmdbBody(netbox);
  assert.deepEqual<unknown>(built, { body: netboxSettings });
  if (!('body' in built)) throw new Error('no body');
  assert.deepEqual(cmdbBody(cmdbDraftOf(built.body)), built);
  assert.deepEqual(cmdbBody({ ...netbox, secretKey: '' }), {
    problem: { field: 'secretRef', key: 'secretRef' },
  });
  assert.deepEqual(cmdbBody({ ...netbox, timeoutMs: '50' }), {
    problem: { field: 'timeoutMs', key: 'timeout' },
  });
  assert.deepEqual(cmdbBody({ ...netbox, kind: 'generic', generic: '{' }), {
    problem: { field: 'generic', key: 'json' },
  });
});
