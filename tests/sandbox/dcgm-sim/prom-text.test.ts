import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoFloat, formatSeries, parseExposition, parseSampleLine } from './prom-text.js';

test('values print like Go strconv.FormatFloat(v, g, -1)', () => {
  assert.equal(formatGoFloat(8), '8');
  assert.equal(formatGoFloat(0), '0');
  assert.equal(formatGoFloat(1.5), '1.5');
  assert.equal(formatGoFloat(123456), '123456');
  assert.equal(formatGoFloat(1e6), '1e+06');
  assert.equal(formatGoFloat(34359738368), '3.4359738368e+10');
  assert.equal(formatGoFloat(1767225600), '1.7672256e+09');
  assert.equal(formatGoFloat(0.00001), '1e-05');
});

test('label values are escaped and parse back', () => {
  const line = formatSeries('m', [['a', 'x"y\\z\nw']], '1');
  assert.equal(line, 'm{a="x\\"y\\\\z\\nw"} 1');
  assert.deepEqual(parseSampleLine(line), { name: 'm', labels: [['a', 'x"y\\z\nw']], value: 1 });
});

test('families collect HELP, TYPE and samples; malformed lines throw', () => {
  const f = parseExposition('# HELP m Help text.\n# TYPE m gauge\nm{a="1"} 2\nm{a="2"} 3.5\n');
  assert.equal(f.get('m')!.help, 'Help text.');
  assert.equal(f.get('m')!.type, 'gauge');
  assert.deepEqual(
    f.get('m')!.samples.map((s) => s.value),
    [2, 3.5],
  );
  assert.throws(() => parseExposition('m{a=1} 2\n'), /malformed/);
  assert.throws(() => parseExposition('m{a="1"} x\n'), /malformed/);
});
