import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMilliQuantity, parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  it('reads plain, binary, decimal and exponent forms', () => {
    assert.equal(parseQuantity('8'), 8);
    assert.equal(parseQuantity('80Gi'), 80 * 2 ** 30);
    assert.equal(parseQuantity('500m'), 0.5);
    assert.equal(parseQuantity('1e3'), 1000);
    assert.equal(parseQuantity('1.5k'), 1500);
    assert.equal(parseQuantity(' 4 '), 4);
    assert.equal(parseQuantity(12), 12);
    assert.equal(parseQuantity('.5'), 0.5);
    assert.equal(parseQuantity('1Ki'), 1024);
    assert.equal(parseQuantity('512Mi'), 512 * 2 ** 20);
    assert.equal(parseQuantity('1G'), 1e9);
    assert.equal(parseQuantity('1E-3'), 0.001);
    assert.equal(parseQuantity('-1'), -1);
  });

  it('answers undefined for what is not a quantity', () => {
    const texts = ['', 'abc', '4 GPUs', '1Xi', '--1', '1 Gi', '1gi', '1K', '1.2.3', 'Gi', '1Gib', '1e'];
    for (const bad of [...texts, undefined, null, Number.NaN]) {
      assert.equal(parseQuantity(bad), undefined, String(bad));
    }
  });
});

describe('formatMilliQuantity', () => {
  it('writes whole numbers bare and the rest in milli-units, rounded to the milli', () => {
    assert.equal(formatMilliQuantity(2), '2');
    assert.equal(formatMilliQuantity(0.5), '500m');
    assert.equal(formatMilliQuantity(1.5), '1500m');
    assert.equal(formatMilliQuantity(1.0000001), '1');
    assert.equal(formatMilliQuantity(0), '0');
  });
});
