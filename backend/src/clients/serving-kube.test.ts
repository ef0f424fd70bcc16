// The test request's HTTP side against real loopback servers: a redirect is the predictor's answer, never followed
// (a predictor in the project could otherwise send the backend anywhere), and a huge answer is read only up to its cap.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from './kube.js';
import { createServingKube } from './serving-kube.js';

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('serving-kube: predict', () => {
  let reached = 0;
  const target = createServer((_req, res) => {
    reached += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"secret":"metadata"}');
  });
  let targetUrl = '';
  const predictor = createServer((req, res) => {
    if (req.url === '/redirect') return void res.writeHead(307, { location: targetUrl }).end();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('x'.repeat(3 * 1024 * 1024));
  });
  let predictorUrl = '';
  // predict() makes no apiserver call: the KubeClient is never touched.
  const serving = createServingKube({} as KubeClient, {
    predictTimeoutMs: 5_000,
    watch: { maxBytes: 64 * 1024 * 1024 },
  });

  before(async () => {
    targetUrl = await listen(target);
    predictorUrl = await listen(predictor);
  });
  after(() => {
    target.close();
    predictor.close();
  });

  it('answers a redirect as the status the predictor sent, without following it', async () => {
    const answer = await serving.predict(`${predictorUrl}/redirect`, { instances: [] });
    assert.equal(answer.status, 307);
    assert.equal(reached, 0, 'the redirect target was never reached');
  });

  it('reads an answer only up to its 1 MiB cap', async () => {
    const answer = await serving.predict(`${predictorUrl}/big`, {});
    assert.equal(answer.status, 200);
    assert.equal((answer.body as string).length, 1024 * 1024);
  });
});
