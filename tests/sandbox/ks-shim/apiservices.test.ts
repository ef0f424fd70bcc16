import assert from 'node:assert/strict';
import { test } from 'node:test';
import { upstreamOf } from './apiservices.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

test('a service endpoint is HTTPS on 443 by default, verified against the Service name with the caBundle', () => {
  // As kube-apiserver returns it: the bytes' base64, and the bytes are themselves base64 of the PEM.
  const target = upstreamOf(
    {
      service: { namespace: 'extension-gpu-quota', name: 'gpu-quota-backend' },
      caBundle: Buffer.from(Buffer.from(PEM).toString('base64')).toString('base64'),
    },
    { 'gpu-quota-backend.extension-gpu-quota.svc:443': '127.0.0.1:40443' },
  );
  assert.equal(target.url.href, 'https://127.0.0.1:40443/');
  assert.equal(target.servername, 'gpu-quota-backend.extension-gpu-quota.svc');
  assert.equal(target.ca, PEM);
  assert.equal(target.rejectUnauthorized, true);
});

test('a url endpoint keeps only scheme and host; insecureSkipVerify turns verification off', () => {
  const target = upstreamOf(
    { url: 'http://backend.example:8080/ignored/path', insecureSkipVerify: true },
    {},
  );
  assert.equal(target.url.href, 'http://backend.example:8080/');
  assert.equal(target.ca, undefined);
  assert.equal(target.rejectUnauthorized, false);
});
