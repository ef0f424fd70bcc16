import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  matches,
  proxyAuthorization,
  unsupportedDirectives,
  upstreamHeaders,
  upstreamPath,
  type ReverseProxy,
} from './reverseproxies.js';

const proxy = (spec: ReverseProxy['spec']): ReverseProxy => ({ metadata: { name: 'p' }, spec });
const notebook = proxy({ matcher: { path: '/proxy/ml-apps.ks-gpu-ml.io/notebook/*', method: '*' } });

describe('ReverseProxy matcher', () => {
  it('a path ending in * is a prefix; any method with *', () => {
    assert.ok(matches(notebook, 'GET', '/proxy/ml-apps.ks-gpu-ml.io/notebook/ns/nb/lab'));
    assert.ok(matches(notebook, 'POST', '/proxy/ml-apps.ks-gpu-ml.io/notebook/'));
    assert.ok(!matches(notebook, 'GET', '/proxy/ml-apps.ks-gpu-ml.io/notebooks'));
    assert.ok(!matches(notebook, 'GET', '/proxy/other/notebook/ns/nb'));
  });

  it('a path without * is exact; a named method must be the request method', () => {
    const exact = proxy({ matcher: { path: '/proxy/grafana', method: 'GET' } });
    assert.ok(matches(exact, 'GET', '/proxy/grafana'));
    assert.ok(matches(exact, 'get', '/proxy/grafana'));
    assert.ok(!matches(exact, 'GET', '/proxy/grafana/x'));
    assert.ok(!matches(exact, 'POST', '/proxy/grafana'));
  });

  it('a matcher outside /proxy, or none, takes nothing', () => {
    assert.ok(!matches(proxy({ matcher: { path: '/kapis/*', method: '*' } }), 'GET', '/kapis/x'));
    assert.ok(!matches(proxy({}), 'GET', '/proxy/x'));
  });
});

describe('ReverseProxy authorization', () => {
  it('is a non-resource request with the upper-case HTTP method as the verb', () => {
    assert.deepEqual(proxyAuthorization('get', '/proxy/a'), { path: '/proxy/a', verb: 'GET' });
    assert.deepEqual(proxyAuthorization('DELETE', '/proxy/a'), { path: '/proxy/a', verb: 'DELETE' });
  });
});

describe('ReverseProxy directives', () => {
  it('stripPathPrefix removes the prefix; without it the path is unchanged', () => {
    const strip = proxy({ matcher: { path: '/proxy/g/*' }, directives: { stripPathPrefix: '/proxy/g' } });
    assert.equal(upstreamPath(strip, '/proxy/g/api/x'), '/api/x');
    assert.equal(upstreamPath(strip, '/proxy/g'), '/');
    assert.equal(
      upstreamPath(notebook, '/proxy/ml-apps.ks-gpu-ml.io/notebook/a/b/'),
      '/proxy/ml-apps.ks-gpu-ml.io/notebook/a/b/',
    );
  });

  it('Authorization is forwarded; hop-by-hop and identity headers are not', () => {
    const out = upstreamHeaders(notebook, {
      authorization: 'Bearer t',
      'x-remote-user': 'admin',
      connection: 'keep-alive',
      host: 'console',
      accept: 'text/html',
    });
    assert.deepEqual(out, { authorization: 'Bearer t', accept: 'text/html' });
  });

  it('headerUp: -Name deletes, +Name adds, Name sets', () => {
    const edited = proxy({
      directives: { headerUp: ['-Authorization', '+Accept text/plain', 'X-Via ks shim'] },
    });
    const out = upstreamHeaders(edited, { authorization: 'Bearer t', accept: 'text/html', 'x-via': 'old' });
    assert.deepEqual(out, { accept: ['text/html', 'text/plain'], 'x-via': 'ks shim' });
  });

  it('an upgrade keeps Connection: Upgrade and the Upgrade protocol', () => {
    const out = upstreamHeaders(
      notebook,
      { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' },
      true,
    );
    assert.deepEqual(out, { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' });
  });

  it('names the directives the stand-in does not implement, ignoring unset ones', () => {
    assert.deepEqual(unsupportedDirectives(notebook), []);
    const other = proxy({
      directives: { stripPathPrefix: '/p', headerUp: [], rewrite: ['a b'], authProxy: false, method: '' },
    });
    assert.deepEqual(unsupportedDirectives(other), ['rewrite']);
    assert.deepEqual(unsupportedDirectives(proxy({ directives: { authProxy: true } })), ['authProxy']);
  });
});
