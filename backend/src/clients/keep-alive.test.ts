import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { describe, it } from 'node:test';
import { createAgentReuse, IDLE_SOCKET_MS } from './keep-alive.js';

const tls = { ca: 'CA-1', cert: 'CERT', key: 'KEY', servername: 'kube', rejectUnauthorized: true };

describe('createAgentReuse', () => {
  it("keeps one kept-alive agent per TLS settings, carrying the client's CA, certificate and verification", () => {
    const reuse = createAgentReuse();
    const first = reuse(new https.Agent(tls)) as https.Agent;
    assert.ok(first instanceof https.Agent);
    assert.equal(reuse(new https.Agent(tls)), first, 'the same settings reuse the agent');
    assert.deepEqual(
      [first.options.ca, first.options.cert, first.options.key, first.options.servername],
      ['CA-1', 'CERT', 'KEY', 'kube'],
    );
    assert.equal(first.options.rejectUnauthorized, true);
    assert.equal(first.options.keepAlive, true);
    assert.equal(first.options.timeout, IDLE_SOCKET_MS);
  });

  it('a rotated CA or client certificate, or skipped verification, gets a new agent', () => {
    const reuse = createAgentReuse();
    const first = reuse(new https.Agent(tls));
    const rotated = reuse(new https.Agent({ ...tls, ca: 'CA-2' })) as https.Agent;
    assert.notEqual(rotated, first);
    assert.equal(rotated.options.ca, 'CA-2');
    const insecure = reuse(new https.Agent({ ...tls, ca: 'CA-2', rejectUnauthorized: false })) as https.Agent;
    assert.notEqual(insecure, rotated);
    assert.equal(insecure.options.rejectUnauthorized, false);
    assert.notEqual(reuse(new https.Agent({ ...tls, ca: 'CA-2', cert: 'CERT-2' })), rotated);
  });

  it("leaves proxy agents and missing agents to the client, and keeps plain HTTP agents' kind", () => {
    class ProxyAgent extends https.Agent {}
    const reuse = createAgentReuse();
    const proxy = new ProxyAgent(tls);
    assert.equal(reuse(proxy), proxy);
    assert.equal(reuse(undefined), undefined);
    const plain = reuse(new http.Agent());
    assert.ok(plain instanceof http.Agent && !(plain instanceof https.Agent));
    assert.equal((plain as https.Agent).options.keepAlive, true);
  });
});
