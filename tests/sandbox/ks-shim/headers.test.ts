import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backendHeaders, impersonationHeaders, redactUrl, responseHeaders } from './headers.js';

describe('headers', () => {
  const incoming = {
    host: 'shim',
    authorization: 'Bearer abc',
    'x-remote-user': 'admin',
    'x-remote-group': 'system:masters',
    'x-remote-extra-scopes': 'all',
    'impersonate-user': 'admin',
    'impersonate-group': 'system:masters',
    'impersonate-extra-foo': 'bar',
    connection: 'keep-alive, x-custom-hop',
    'x-custom-hop': '1',
    'transfer-encoding': 'chunked',
    'accept-language': 'zh',
    cookie: 'token=abc',
  };

  it('backend: identity from the shim only, Authorization passed through', () => {
    const out = backendHeaders(incoming, 'bob', '127.0.0.1');
    assert.equal(out['x-remote-user'], 'bob');
    assert.equal(out['x-remote-group'], 'system:authenticated');
    assert.equal(out.authorization, 'Bearer abc');
    assert.equal(out['accept-language'], 'zh');
    assert.equal(out['x-forwarded-for'], '127.0.0.1');
    for (const name of [
      'x-remote-extra-scopes',
      'impersonate-user',
      'impersonate-group',
      'impersonate-extra-foo',
      'host',
      'connection',
      'x-custom-hop',
      'transfer-encoding',
    ]) {
      assert.equal(out[name], undefined, name);
    }
  });

  it('header names are matched case-insensitively', () => {
    const out = backendHeaders({ 'X-Remote-User': 'admin', 'Impersonate-User': 'admin' }, 'bob');
    assert.deepEqual(Object.keys(out).sort(), ['x-remote-group', 'x-remote-user']);
    assert.equal(out['x-remote-user'], 'bob');
  });

  it('kube: the caller credentials are replaced by admin credentials plus impersonation', () => {
    const out = impersonationHeaders(
      incoming,
      { name: 'alice', groups: ['sandbox:users'] },
      { authorization: 'Bearer admin-token' },
    );
    assert.equal(out.authorization, 'Bearer admin-token');
    assert.equal(out['impersonate-user'], 'alice');
    assert.deepEqual(out['impersonate-group'], ['sandbox:users', 'system:authenticated']);
    assert.equal(out['impersonate-extra-foo'], undefined);
    assert.equal(out['x-remote-user'], undefined);
    assert.equal(out.cookie, undefined);
    const noAdmin = impersonationHeaders(incoming, { name: 'alice', groups: [] });
    assert.equal(noAdmin.authorization, undefined);
  });

  it('response headers lose hop-by-hop ones', () => {
    assert.deepEqual(
      responseHeaders({
        'content-type': 'application/json',
        connection: 'close',
        'transfer-encoding': 'chunked',
      }),
      {
        'content-type': 'application/json',
      },
    );
  });

  it('log URLs never show tokens', () => {
    assert.equal(redactUrl('/api/v1/pods?access_token=abc&limit=1'), '/api/v1/pods?access_token=***&limit=1');
    assert.equal(redactUrl('/api/v1/pods'), '/api/v1/pods');
  });
});
