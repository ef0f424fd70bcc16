import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Handler } from './request-context.js';
import { compile, router } from './routing.js';

const handler =
  (name: string): Handler =>
  () =>
    void name;

describe('compile', () => {
  const match = compile('/kapis/iam.kubesphere.io/v1beta1/users/:user/roletemplates');

  it('returns the decoded parameters of a matching path, with or without a trailing slash', () => {
    assert.deepEqual(match('/kapis/iam.kubesphere.io/v1beta1/users/al%20ice/roletemplates'), {
      user: 'al ice',
    });
    assert.deepEqual(match('/kapis/iam.kubesphere.io/v1beta1/users/alice/roletemplates/'), { user: 'alice' });
  });

  it('matches the whole path and dots literally', () => {
    assert.equal(match('/kapis/iam.kubesphere.io/v1beta1/users/alice/roletemplates/x'), undefined);
    assert.equal(match('/kapis/iamXkubesphere.io/v1beta1/users/alice/roletemplates'), undefined);
    assert.equal(match('/kapis/iam.kubesphere.io/v1beta1/users/a/b/roletemplates'), undefined);
  });

  it('matches no route on a malformed %-escape', () => {
    assert.equal(match('/kapis/iam.kubesphere.io/v1beta1/users/%E0%A4%A/roletemplates'), undefined);
  });
});

describe('router', () => {
  const users = handler('users');
  const token = handler('token');
  const userinfo = handler('userinfo');
  const find = router([
    ['GET', '/users/:user', users],
    ['POST', '/oauth/token', token],
    ['*', '/oauth/userinfo', userinfo],
  ]);

  it('finds a route by method and path, HEAD by its GET', () => {
    assert.equal(find('GET', '/users/alice')?.handler, users);
    assert.deepEqual(find('HEAD', '/users/alice')?.params, { user: 'alice' });
    assert.equal(find('POST', '/oauth/token')?.handler, token);
  });

  it('answers nothing for another method, unless the route takes any', () => {
    assert.equal(find('DELETE', '/users/alice'), undefined);
    assert.equal(find('GET', '/oauth/token'), undefined);
    assert.equal(find('POST', '/oauth/userinfo')?.handler, userinfo);
  });
});
