import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvCell, toCsv } from './csv.js';

describe('csv', () => {
  it('quotes cells with commas, quotes and line breaks, doubling inner quotes', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    for (const evil of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) {
      assert.ok(
        csvCell(evil).replace(/^"/, '').startsWith("'"),
        `${JSON.stringify(evil)} → ${csvCell(evil)}`,
      );
    }
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('ok=1'), 'ok=1', 'only a leading character is dangerous');
  });

  it('writes numbers as numbers (a negative figure is not text) and empty cells for absent ones', () => {
    assert.equal(csvCell(-1.5), '-1.5');
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell(Number.NaN), '');
  });

  it('joins rows with CRLF after a UTF-8 byte-order mark', () => {
    assert.equal(
      toCsv([
        ['项目', 'b'],
        [1, undefined],
      ]),
      '\uFEFF项目,b\r\n1,\r\n',
    );
  });
});
