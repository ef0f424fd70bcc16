import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../shared/errors.js';
import { forwardHttp, type NotebookProxyLimits } from './notebook-proxy.js';

const LIMITS: NotebookProxyLimits = {
  connectTimeoutMs: 1_000,
  responseTimeoutMs: 300,
  idleTimeoutMs: 1_000,
  maxBodyBytes: 1_000,
};

describe('forwardHttp', () => {
  let server: Server;
  let origin = '';
  let received = 0;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return; // never answers
      req.on('data', (c: Buffer) => (received += c.length));
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const status = async (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (err: unknown) => (err instanceof AppError ? `${err.statusCode} ${err.key}` : String(err)),
    );

  it('streams a body within the limit and hands back the answer', async () => {
    received = 0;
    const body = Readable.from([Buffer.alloc(600), Buffer.alloc(400)]);
    const answer = await forwardHttp({ origin, path: '/up', method: 'PUT', headers: {} }, body, LIMITS);
    assert.equal(answer.statusCode, 200);
    answer.resume();
    assert.equal(received, 1_000);
  });

  it('answers 413 once a body passes the limit, without waiting for the rest', async () => {
    const body = Readable.from([Buffer.alloc(600), Buffer.alloc(600), Buffer.alloc(600)]);
    const outcome = await status(
      forwardHttp({ origin, path: '/up', method: 'PUT', headers: {} }, body, LIMITS),
    );
    assert.equal(outcome, '413 ML_APPS_NOTEBOOK_OPEN_BODY_TOO_LARGE');
  });

  it('answers 502 when the notebook does not answer before the deadline, or cannot be reached', async () => {
    const started = Date.now();
    const slow = await status(
      forwardHttp({ origin, path: '/slow', method: 'GET', headers: {} }, undefined, LIMITS),
    );
    assert.equal(slow, '502 ML_APPS_NOTEBOOK_OPEN_UNREACHABLE');
    assert.ok(Date.now() - started < 2_000, 'the deadline, not the test runner, ended it');
    const closed = await status(
      forwardHttp({ origin: 'http://127.0.0.1:1', path: '/', method: 'GET', headers: {} }, undefined, LIMITS),
    );
    assert.equal(closed, '502 ML_APPS_NOTEBOOK_OPEN_UNREACHABLE');
  });
});
