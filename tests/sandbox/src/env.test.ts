import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvFile } from './env.js';

describe('.sandbox/env', () => {
  it('parses KEY=value lines and ignores anything else', () => {
    assert.deepEqual(parseEnvFile("A=1\n# c\nB_2=http://x:1/y?z=1\nbad line\nC='q'\n"), {
      A: '1',
      B_2: 'http://x:1/y?z=1',
      C: 'q',
    });
  });
});
