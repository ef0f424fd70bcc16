import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { contentTypeOf, distFile } from './extensions.js';

describe('distFile', () => {
  const root = mkdtempSync(join(tmpdir(), 'ks-shim-dist-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'gpu-quota'), { recursive: true });
  writeFileSync(join(dist, 'gpu-quota', 'index.js'), 'export {}');
  writeFileSync(join(root, 'secret.txt'), 'not served');
  symlinkSync(join(root, 'secret.txt'), join(dist, 'gpu-quota', 'link.js'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('finds a file of the dist dir, %-escapes decoded', () => {
    assert.equal(distFile(dist, 'gpu-quota/index.js'), join(dist, 'gpu-quota', 'index.js'));
    assert.equal(distFile(dist, 'gpu-quota/index%2Ejs'), join(dist, 'gpu-quota', 'index.js'));
  });

  it('never leaves the dist dir', () => {
    assert.equal(distFile(dist, '../secret.txt'), undefined);
    assert.equal(distFile(dist, 'gpu-quota/%2E%2E/%2E%2E/secret.txt'), undefined);
    assert.equal(distFile(dist, 'gpu-quota/link.js'), undefined, 'a symlink pointing out');
  });

  it('finds nothing for a directory, a missing file or a malformed escape', () => {
    assert.equal(distFile(dist, 'gpu-quota'), undefined);
    assert.equal(distFile(dist, 'gpu-quota/missing.js'), undefined);
    assert.equal(distFile(dist, 'gpu-quota/%E0%A4%A'), undefined);
  });
});

describe('contentTypeOf', () => {
  it('types scripts, styles and maps, and anything else as bytes', () => {
    assert.equal(contentTypeOf('/d/index.js'), 'application/javascript');
    assert.equal(contentTypeOf('/d/a.css'), 'text/css');
    assert.equal(contentTypeOf('/d/index.js.map'), 'application/json');
    assert.equal(contentTypeOf('/d/blob.bin'), 'application/octet-stream');
  });
});
