import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatQuantity, parseQuantities, parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  it('reads plain integers and numbers', () => {
    assert.equal(parseQuantity('8'), 8);
    assert.equal(parseQuantity(4), 4);
    assert.equal(parseQuantity('327680'), 327680);
  });
  it('reads binary, decimal and exponent suffixes', () => {
    assert.equal(parseQuantity('1Ki'), 1024);
    assert.equal(parseQuantity('2Gi'), 2 * 2 ** 30);
    assert.equal(parseQuantity('500m'), 0.5);
    assert.equal(parseQuantity('3k'), 3000);
    assert.equal(parseQuantity('1e3'), 1000);
    assert.equal(parseQuantity('.5'), 0.5);
  });
  it('returns undefined for absent or malformed quantities', () => {
    assert.equal(parseQuantity(undefined), undefined);
    assert.equal(parseQuantity(''), undefined);
    assert.equal(parseQuantity('eight'), undefined);
    assert.equal(parseQuantity('1Xi'), undefined);
    assert.equal(parseQuantity(Number.NaN), undefined);
  });
});

describe('parseQuantities / formatQuantity', () => {
  it('skips invalid entries of a map', () => {
    const parsed = parseQuantities({ 'nvidia.com/gpu': '8', broken: 'x' });
    assert.deepEqual([...parsed], [['nvidia.com/gpu', 8]]);
  });
  it('writes integers bare and fractions in milli-units', () => {
    assert.equal(formatQuantity(2), '2');
    assert.equal(formatQuantity(0.5), '500m');
  });
});
