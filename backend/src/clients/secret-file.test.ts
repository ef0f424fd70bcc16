import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { secretFileReader } from './secret-file.js';

describe('secretFileReader', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'secret-')), 'token');

  it('reads the trimmed value, and the new one after the Secret is rotated', () => {
    writeFileSync(file, 'first\n');
    const read = secretFileReader(file);
    assert.equal(read(), 'first');
    writeFileSync(file, 'second\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5_000)); // the kubelet's swap gives a new mtime
    assert.equal(read(), 'second');
  });

  it('yields undefined for an empty or missing file, and reads it again once it is back', () => {
    writeFileSync(file, '  \n');
    utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    const read = secretFileReader(file);
    assert.equal(read(), undefined);
    rmSync(file);
    assert.equal(read(), undefined);
    writeFileSync(file, 'back');
    assert.equal(read(), 'back');
  });
});
