import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  it('reads plain, binary, decimal and exponent forms', () => {
    assert.equal(parseQuantity('8'), 8);
    assert.equal(parseQuantity('80Gi'), 80 * 2 ** 30);
    assert.equal(parseQuantity('500m'), 0.5);
    assert.equal(parseQuantity('1e3'), 1000);
    assert.equal(parseQuantity('1.5k'), 1500);
    assert.equal(parseQuantity(' 4 '), 4);
    assert.equal(parseQuantity(12), 12);
  });

  it('answers undefined for what is not a quantity', () => {
    for (const bad of ['', 'abc', '4 GPUs', '1Xi', '--1', undefined, null, Number.NaN]) {
      assert.equal(parseQuantity(bad), undefined, String(bad));
    }
  });
});
