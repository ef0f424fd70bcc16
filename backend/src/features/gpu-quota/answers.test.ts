import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptedOvercommit, contractRow, createAnswers, forbidden, requestPath } from './answers.js';
import { problem } from './problems.js';
import { chooseEnforcer } from './scheduler.js';
import { translate } from './test-kube.js';

const answers = createAnswers(translate);
const params = { field: 'max', resource: 'nvidia.com/gpu', value: 1e21, limit: 10 };
const tooLarge = problem('spec.resources[1].max', 'GPU_QUOTA_AMOUNT_TOO_LARGE', params);
const negative = problem('spec.resources[0].base', 'GPU_QUOTA_NEGATIVE', {});

describe('gpu-quota answers', () => {
  it('maps domain paths to request fields', () => {
    assert.equal(requestPath('spec.resources[1].base'), 'body.resources.1.base');
    assert.equal(requestPath('spec.resources'), 'body.resources');
  });

  it('a refusal names the first field and carries every problem, localized in the caller’s language', () => {
    const err = answers.refuse('zh', [tooLarge, negative]);
    assert.equal(err.statusCode, 400);
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.key, 'GPU_QUOTA_AMOUNT_TOO_LARGE');
    assert.equal(err.details.field, 'body.resources.1.max');
    const problems = err.details.problems as { path: string; message: string }[];
    assert.deepEqual(
      problems.map((p) => p.path),
      ['body.resources.1.max', 'body.resources.0.base'],
    );
    assert.equal(problems[0]!.message, translate('zh', 'GPU_QUOTA_AMOUNT_TOO_LARGE', params));
    assert.notEqual(problems[0]!.message, translate('en', 'GPU_QUOTA_AMOUNT_TOO_LARGE', params));
    assert.equal(answers.refuse('en', [tooLarge], 409).reason, 'Conflict');
  });

  it('a 403 names the rule and the gpuquotas resource it guards', () => {
    const err = forbidden('GPU_QUOTA_FORBIDDEN_WORKSPACE', { user: 'bob', workspace: 'ws' });
    assert.equal(err.statusCode, 403);
    assert.deepEqual(err.details, {
      group: 'gpu-quota.ks-gpu-ml.io',
      resource: 'gpuquotas',
      user: 'bob',
      workspace: 'ws',
    });
  });

  it('enforcer info carries a problem only when the choice has one', () => {
    assert.equal('problem' in answers.enforcerInfo(chooseEnforcer(new Set(), 'auto'), 'en'), false);
    const pinned = answers.enforcerInfo(chooseEnforcer(new Set(), 'kueue'), 'en');
    assert.equal(pinned.enforcer, 'none');
    assert.equal(pinned.setting, 'kueue');
    assert.ok(pinned.problem?.message);
  });

  it('an accepted over-commitment keeps the refusal’s field and figures', () => {
    const p = problem('spec.resources[0].base', 'GPU_QUOTA_CLUSTER_OVERCOMMIT', { total: 9 });
    assert.deepEqual(acceptedOvercommit(p).params, { total: 9 });
    assert.equal(acceptedOvercommit(p).code, 'GPU_QUOTA_OVERCOMMIT_ACCEPTED');
  });

  it('rows take the contract’s shape: no model key without a model', () => {
    assert.deepEqual(contractRow({ resource: 'r', base: 1, max: 2 }), { resource: 'r', base: 1, max: 2 });
    const extra = { resource: 'r', model: 'm', base: 1, max: 2, used: 5 };
    assert.deepEqual(contractRow(extra), { resource: 'r', model: 'm', base: 1, max: 2 });
  });
});
