import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { Type } from '@sinclair/typebox';
import { UpstreamError } from '../clients/upstream.js';
import { AppError, frameworkErrorHandler, installErrorHandlers } from './errors.js';
import { createTranslator, loadCatalogues, pickLanguage } from './i18n.js';
import { requestId } from './logger.js';

const catalogues = loadCatalogues();

function testApp() {
  const app = Fastify({ ajv: { customOptions: { removeAdditional: false } } });
  installErrorHandlers(app, createTranslator(catalogues));
  app.get('/forbidden', async () => {
    throw new AppError(403, 'Forbidden', 'BACKEND_FORBIDDEN_NAMESPACE', {
      user: 'alice',
      verb: 'list',
      resource: 'capabilities',
      group: 'platform.ks-gpu-ml.io',
      namespace: 'beta-research',
    });
  });
  app.get('/crash', async () => {
    throw new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');
  });
  app.get('/upstream', async () => {
    throw new UpstreamError('Prometheus', new Error('socket hang up at 10.0.0.9'));
  });
  app.post(
    '/things',
    {
      schema: {
        body: Type.Object(
          {
            spec: Type.Object({
              count: Type.Integer({ minimum: 0 }),
              mode: Type.Union([Type.Literal('a'), Type.Literal('b')]),
            }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async () => ({ ok: true }),
  );
  return app;
}

describe('error bodies', () => {
  it('have the shared shape and are localized by Accept-Language', async () => {
    const app = testApp();
    const en = await app.inject({ url: '/forbidden' });
    assert.equal(en.statusCode, 403);
    const body = en.json();
    assert.deepEqual(Object.keys(body).sort(), ['code', 'details', 'message', 'reason']);
    assert.equal(body.reason, 'Forbidden');
    assert.match(
      body.message,
      /User "alice" may not list capabilities \(API group platform.ks-gpu-ml.io\) in project "beta-research"/,
    );
    const zh = await app.inject({
      url: '/forbidden',
      headers: { 'accept-language': 'fr;q=1, zh-CN;q=0.8, en;q=0.5' },
    });
    assert.match(zh.json().message, /用户“alice”无权在项目“beta-research”中/);
  });

  it('never show internals of a 5xx', async () => {
    const app = testApp();
    const crash = await app.inject({ url: '/crash' });
    assert.equal(crash.statusCode, 500);
    assert.equal(crash.json().reason, 'InternalError');
    assert.doesNotMatch(crash.body, /ECONNREFUSED|hunter2|10\.0\.0\.7|stack/);
    assert.match(crash.json().message, new RegExp(crash.json().details.requestId));
    const upstream = await app.inject({ url: '/upstream' });
    assert.equal(upstream.statusCode, 502);
    assert.doesNotMatch(upstream.body, /socket hang up|10\.0\.0\.9/);
    assert.match(upstream.json().message, /^Prometheus did not answer/);
  });

  it('name the invalid field of a request body', async () => {
    const app = testApp();
    const cases: [unknown, string][] = [
      [{}, 'body.spec'],
      [{ spec: { count: -1, mode: 'a' } }, 'body.spec.count'],
      [{ spec: { count: 1, mode: 'c' } }, 'body.spec.mode'],
      [{ spec: { count: 1, mode: 'a' }, extra: 1 }, 'body.extra'],
    ];
    for (const [payload, field] of cases) {
      const res = await app.inject({ method: 'POST', url: '/things', payload: payload as object });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.json().reason, 'Invalid');
      assert.equal(res.json().details.field, field);
      assert.match(res.json().message, new RegExp(`"${field.replace(/\./g, '\\.')}"`));
    }
  });

  it('cover malformed JSON and unknown routes', async () => {
    const app = testApp();
    const bad = await app.inject({
      method: 'POST',
      url: '/things',
      payload: '{',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().reason, 'BadRequest');
    const missing = await app.inject({ url: '/nowhere', headers: { 'accept-language': 'zh' } });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().reason, 'NotFound');
    assert.match(missing.json().message, /此处没有 GET \/nowhere/);
  });
});

describe('locales', () => {
  it('pick the best supported language', () => {
    assert.equal(pickLanguage(undefined), 'en');
    assert.equal(pickLanguage('zh-CN,zh;q=0.9,en;q=0.8'), 'zh');
    assert.equal(pickLanguage('de, en;q=0.1, zh;q=0.5'), 'zh');
    assert.equal(pickLanguage('zh;q=0, en'), 'en');
    assert.equal(pickLanguage('ja'), 'en');
  });
});

describe('router errors', () => {
  it('answers an over-long path parameter with 400 in the shared error shape, not fastify’s own 414', async () => {
    const translate = createTranslator(catalogues);
    const app = Fastify({ frameworkErrors: frameworkErrorHandler(translate) });
    installErrorHandlers(app, translate);
    app.get('/namespaces/:namespace/things', async () => ({}));
    const res = await app.inject({ url: `/namespaces/${'x'.repeat(300)}/things` });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.code, 400);
    assert.equal(body.reason, 'BadRequest');
    assert.match(body.message, /path segment is longer/);
    assert.deepEqual(body.details, { code: 'FST_ERR_MAX_PARAM_LENGTH' });
  });
});

describe('who is told an upstream’s details', () => {
  const app = Fastify({ genReqId: requestId });
  // A stand-in for platform-admin.ts: this test is about what each audience is told, not who is an admin.
  installErrorHandlers(
    app,
    createTranslator(catalogues),
    async (request) => request.headers['x-admin'] === 'yes',
  );
  app.get('/metrics-down', async () => {
    throw new UpstreamError(
      'Prometheus',
      new Error('read ECONNRESET'),
      { key: 'BACKEND_METRICS_UNREACHABLE', params: {} },
      { key: 'GPU_MONITORING_PROMETHEUS_UNREACHABLE', params: { url: 'http://prom.internal:9090' } },
    );
  });

  it('tells a tenant "the metrics service" and the request id, an admin the URL', async () => {
    const tenant = await app.inject({ url: '/metrics-down', headers: { 'x-request-id': 'req-42' } });
    assert.equal(tenant.statusCode, 502);
    const body = tenant.json<{ message: string; details: Record<string, unknown> }>();
    assert.match(body.message, /metrics service is unreachable.*req-42/);
    assert.deepEqual(body.details, { upstream: 'Prometheus', requestId: 'req-42' });
    assert.doesNotMatch(tenant.body, /prom\.internal/);

    const admin = await app.inject({
      url: '/metrics-down',
      headers: { 'x-admin': 'yes', 'x-request-id': 'req-43' },
    });
    const adminBody = admin.json<{ message: string; details: Record<string, unknown> }>();
    assert.match(adminBody.message, /Prometheus at http:\/\/prom\.internal:9090 is unreachable/);
    assert.equal(adminBody.details.url, 'http://prom.internal:9090');
    assert.equal(adminBody.details.requestId, 'req-43');
  });
});
