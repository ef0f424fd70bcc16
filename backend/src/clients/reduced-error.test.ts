import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import Fastify from 'fastify';
import { createLogger } from '../core/logger.js';
import { UpstreamError } from './upstream.js';
import { HttpStatusError, reduceError, scrubText, withoutCredentials } from './reduced-error.js';

const TOKEN = 'tok-3f9a1c7e';
let server: Server;
let base: string;

before(async () => {
  server = createServer((_req, res) => res.writeHead(500).end('{"message":"boom"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://admin:pw-8d2e@127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => server.close());

/** A real axios error: request and response objects, the Authorization header, basic auth from the URL. */
async function axiosFailure(): Promise<unknown> {
  try {
    await axios
      .create({ baseURL: base })
      .post('/api/x', {}, { headers: { Authorization: `Bearer ${TOKEN}` } });
  } catch (err) {
    return err;
  }
  assert.fail('the stand-in answers 500');
}

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', stream), text: () => lines.join('') };
}

const leaks = (text: string) =>
  [TOKEN, 'pw-8d2e', 'admin:', Buffer.from('admin:pw-8d2e').toString('base64')].filter((s) =>
    text.includes(s),
  );

describe('reduceError', () => {
  it('keeps message, code, status, method and the URL without credentials of an axios error', async () => {
    const reduced = reduceError(await axiosFailure());
    assert.deepEqual(
      { ...reduced, url: reduced.url?.replace(/:\d+/, ':PORT') },
      {
        type: 'AxiosError',
        message: 'Request failed with status code 500',
        code: 'ERR_BAD_RESPONSE',
        status: 500,
        method: 'POST',
        url: 'http://127.0.0.1:PORT/api/x',
      },
    );
  });

  it('keeps only the first line of a client-node ApiException (the rest repeats body and headers)', () => {
    const apiException = Object.assign(
      new Error(`HTTP-Code: 401\nMessage: x\nHeaders: {"authorization":"Bearer ${TOKEN}"}`),
      {
        code: 401,
        body: 'Unauthorized',
        headers: { authorization: `Bearer ${TOKEN}` },
      },
    );
    assert.deepEqual(reduceError(apiException), {
      type: 'Error',
      message: 'HTTP-Code: 401',
      code: 401,
      status: 401,
    });
  });

  it("says which call an upstream answered wrongly, without the URL's credentials", () => {
    const err = new HttpStatusError('POST', 'http://u:pw-8d2e@prom:9090/api/v1/query', 503, 'unavailable');
    assert.deepEqual(reduceError(err), {
      type: 'HttpStatusError',
      message: 'POST http://prom:9090/api/v1/query: HTTP 503 unavailable',
      status: 503,
      method: 'POST',
      url: 'http://prom:9090/api/v1/query',
    });
  });

  it('scrubs credentials from free text and URLs', () => {
    assert.equal(withoutCredentials('http://u:p@prom:9090/x?y=1'), 'http://prom:9090/x?y=1');
    assert.equal(withoutCredentials('http://prom:9090'), 'http://prom:9090');
    assert.equal(
      scrubText(`request to https://u:p@h/a failed; Authorization: Bearer ${TOKEN}, Basic YWRtaW4=`),
      'request to https://h/a failed; Authorization: Bearer [redacted], Basic [redacted]',
    );
  });
});

describe('the logger as a safety net', () => {
  it('writes a raw axios error, under any key and as a cause, without headers or credentials', async () => {
    const err = await axiosFailure();
    const { logger, text } = capture();
    logger.error({ err }, 'as err');
    logger.error({ failure: err, nested: { note: 'x' } }, 'under another key');
    logger.error({ err: new UpstreamError('Prometheus', err) }, 'as a cause');
    assert.deepEqual(leaks(text()), [], text());
    assert.equal(text().match(/"status":500/g)?.length, 3, text());
  });

  it("holds through fastify, which puts pino's standard error serializer on its request loggers", async () => {
    const err = await axiosFailure();
    const { logger, text } = capture();
    const app = Fastify({ loggerInstance: logger });
    app.get('/', async (request) => {
      request.log.error({ err }, 'failed');
      return {};
    });
    await app.inject({ url: '/' });
    await app.close();
    assert.deepEqual(leaks(text()), [], text());
    assert.match(text(), /"method":"POST"/);
  });
});
