import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EscalationPolicyInput } from '@ks-gpu-ml/contracts';
import { choosePolicy, policyIssues } from './policies.js';

const policy = (name: string, matchLabels: Record<string, string>): EscalationPolicyInput => ({
  name,
  matchLabels,
  steps: [{ receivers: ['robot'], waitSeconds: 60 }],
  repeat: 0,
});
const all = [
  { owner: '', spec: policy('cluster-any', {}) },
  { owner: '', spec: policy('a-cluster-critical', { severity: 'critical' }) },
  { owner: 'ws-alpha', spec: policy('z-alpha-any', {}) },
  { owner: 'ws-alpha', spec: policy('alpha-critical', { severity: 'critical' }) },
];

describe('choosePolicy', () => {
  it('prefers the workspace`s matching policy, first by name', () => {
    assert.equal(choosePolicy({ severity: 'critical' }, 'ws-alpha', all)?.spec.name, 'alpha-critical');
    assert.equal(choosePolicy({ severity: 'warning' }, 'ws-alpha', all)?.spec.name, 'z-alpha-any');
  });

  it('falls back to the cluster`s for another workspace and for alerts of no workspace', () => {
    assert.equal(choosePolicy({ severity: 'critical' }, 'ws-beta', all)?.spec.name, 'a-cluster-critical');
    assert.equal(choosePolicy({ severity: 'info' }, undefined, all)?.spec.name, 'cluster-any');
  });

  it('finds none when no policy`s labels match', () => {
    assert.equal(choosePolicy({}, undefined, [{ owner: '', spec: policy('p', { team: 'db' }) }]), undefined);
  });
});

describe('policyIssues', () => {
  it('names each step`s receiver that does not exist, by its field', () => {
    const input = {
      ...policy('p', {}),
      steps: [
        { receivers: ['robot', 'ghost'], waitSeconds: 0 },
        { receivers: ['phantom'], waitSeconds: 0 },
      ],
    };
    assert.deepEqual(
      policyIssues(input, new Set(['robot'])).map((i) => i.field),
      ['body.steps.0.receivers.1', 'body.steps.1.receivers.0'],
    );
  });
});
