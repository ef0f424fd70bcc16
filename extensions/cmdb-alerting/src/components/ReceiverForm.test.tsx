import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wecomCallbackPath } from './ReceiverForm.js';

describe('the WeCom callback path shown in the receiver editor', () => {
  it('is the cluster receiver`s /alerting/wecom/callback/<name>, a workspace receiver`s with the workspace', () => {
    assert.equal(
      wecomCallbackPath({ kind: 'cluster', cluster: undefined }, 'ops-app'),
      '/alerting/wecom/callback/ops-app',
    );
    assert.equal(
      wecomCallbackPath({ kind: 'workspace', workspace: 'ws-alpha' }, 'team-app'),
      '/alerting/wecom/callback/ws-alpha/team-app',
    );
    assert.equal(
      wecomCallbackPath({ kind: 'cluster', cluster: 'host' }, ''),
      '/alerting/wecom/callback/<name>',
    );
  });
});
