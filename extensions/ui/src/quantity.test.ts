import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatQuantity, humanQuantity, parseResource } from './quantity.js';

test('parseResource cpu: cores with millicore precision', () => {
  assert.deepEqual(parseResource('cpu', '500m'), { ok: true, value: 0.5, canonical: '500m' });
  assert.deepEqual(parseResource('cpu', '1.5'), { ok: true, value: 1.5, canonical: '1500m' });
  assert.deepEqual(parseResource('cpu', '2000m'), { ok: true, value: 2, canonical: '2' });
  assert.deepEqual(parseResource('cpu', '0.0001'), { ok: false, error: 'precision' });
  assert.deepEqual(parseResource('cpu', '-1'), { ok: false, error: 'negative' });
  assert.deepEqual(parseResource('cpu', 'x'), { ok: false, error: 'invalid' });
  assert.deepEqual(parseResource('cpu', '  '), { ok: false, error: 'empty' });
});

test('parseResource memory: whole bytes, canonical in the largest exact binary unit', () => {
  assert.deepEqual(parseResource('memory', '512Mi'), { ok: true, value: 536870912, canonical: '512Mi' });
  assert.deepEqual(parseResource('memory', '1024Mi'), { ok: true, value: 2 ** 30, canonical: '1Gi' });
  assert.deepEqual(parseResource('memory', '1G'), { ok: true, value: 1e9, canonical: '1G' });
  assert.deepEqual(parseResource('memory', '1500k'), { ok: true, value: 1.5e6, canonical: '1500k' });
  assert.deepEqual(parseResource('memory', '1000001'), { ok: true, value: 1000001, canonical: '1000001' });
  assert.deepEqual(parseResource('memory', '0.5Ki'), { ok: true, value: 512, canonical: '512' });
  assert.deepEqual(parseResource('memory', '1m'), { ok: false, error: 'precision' });
});

test('parseResource gpu: whole devices only', () => {
  assert.deepEqual(parseResource('gpu', '4'), { ok: true, value: 4, canonical: '4' });
  assert.deepEqual(parseResource('gpu', '0'), { ok: true, value: 0, canonical: '0' });
  assert.deepEqual(parseResource('gpu', '0.5'), { ok: false, error: 'fraction' });
  assert.deepEqual(parseResource('gpu', '500m'), { ok: false, error: 'fraction' });
  assert.deepEqual(parseResource('gpu', '-2'), { ok: false, error: 'negative' });
  assert.deepEqual(parseResource('gpu', 'two'), { ok: false, error: 'invalid' });
});

test('formatQuantity and humanQuantity', () => {
  assert.equal(formatQuantity('cpu', 0.25), '250m');
  assert.equal(formatQuantity('cpu', 3), '3');
  assert.equal(formatQuantity('memory', 0), '0');
  assert.equal(formatQuantity('memory', 3 * 2 ** 40), '3Ti');
  assert.equal(formatQuantity('gpu', 2), '2');
  assert.equal(humanQuantity('memory', 1.5 * 2 ** 30), '1.5 Gi');
  assert.equal(humanQuantity('memory', 100), '100');
  assert.equal(humanQuantity('cpu', 0.25), '250 m');
  assert.equal(humanQuantity('cpu', 2), '2');
  assert.equal(humanQuantity('gpu', 8), '8');
});
