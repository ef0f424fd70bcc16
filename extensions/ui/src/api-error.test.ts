import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toApiError } from './api-error.js';

test('toApiError: keeps the server message and reason of a Status body', () => {
  const error = {
    message: 'Request failed with status code 403',
    response: {
      status: 403,
      data: {
        code: 403,
        reason: 'Forbidden',
        message: 'user "alice" cannot list capabilities in workspace ws-alpha',
      },
    },
  };
  assert.deepEqual(toApiError(error), {
    status: 403,
    reason: 'Forbidden',
    message: 'user "alice" cannot list capabilities in workspace ws-alpha',
    details: {},
  });
});

test('toApiError: plain-text and HTML bodies, missing bodies, network errors, strings', () => {
  assert.deepEqual(toApiError({ response: { status: 404, data: '404 page not found\n' } }), {
    status: 404,
    reason: '',
    message: '404 page not found',
    details: {},
  });
  assert.deepEqual(toApiError({ response: { status: 502, data: '<html><h1>Bad Gateway</h1></html>' } }), {
    status: 502,
    reason: '',
    message: 'Bad Gateway',
    details: {},
  });
  assert.deepEqual(toApiError({ message: 'timeout', response: { status: 504 } }), {
    status: 504,
    reason: '',
    message: 'timeout',
    details: {},
  });
  assert.deepEqual(toApiError(new Error('Network Error')), {
    status: 0,
    reason: '',
    message: 'Network Error',
    details: {},
  });
  assert.deepEqual(toApiError('boom'), { status: 0, reason: '', message: 'boom', details: {} });
  assert.deepEqual(toApiError({ response: { status: 500, data: { ErrStatus: { message: 'etcd down' } } } }), {
    status: 500,
    reason: '',
    message: 'etcd down',
    details: {},
  });
});

test("toApiError: keeps the contract's details (the field and problems a refusal names)", () => {
  const details = { field: 'spec.resources[0].max', problems: [{ code: 'GPU_QUOTA_MAX_BELOW_BASE' }] };
  const error = {
    response: { status: 422, data: { code: 422, reason: 'Invalid', message: 'max < base', details } },
  };
  assert.deepEqual(toApiError(error), { status: 422, reason: 'Invalid', message: 'max < base', details });
  const notARecord = {
    response: { status: 400, data: { reason: 'BadRequest', message: 'no', details: ['x'] } },
  };
  assert.deepEqual(toApiError(notARecord).details, {});
});
