import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatQuantity, parseQuantities } from './quantity.js';

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
