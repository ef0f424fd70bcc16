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
  });
});

test('toApiError: plain-text and HTML bodies, missing bodies, network errors, strings', () => {
  assert.deepEqual(toApiError({ response: { status: 404, data: '404 page not found\n' } }), {
    status: 404,
    reason: '',
    message: '404 page not found',
  });
  assert.deepEqual(toApiError({ response: { status: 502, data: '<html><h1>Bad Gateway</h1></html>' } }), {
    status: 502,
    reason: '',
    message: 'Bad Gateway',
  });
  assert.deepEqual(toApiError({ message: 'timeout', response: { status: 504 } }), {
    status: 504,
    reason: '',
    message: 'timeout',
  });
  assert.deepEqual(toApiError(new Error('Network Error')), {
    status: 0,
    reason: '',
    message: 'Network Error',
  });
  assert.deepEqual(toApiError('boom'), { status: 0, reason: '', message: 'boom' });
  assert.deepEqual(toApiError({ response: { status: 500, data: { ErrStatus: { message: 'etcd down' } } } }), {
    status: 500,
    reason: '',
    message: 'etcd down',
  });
});
