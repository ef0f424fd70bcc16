import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { modelRegistrySuite } from './model-registry-suite.js';

// PostgreSQL runs the same suite in tests/integration/ml-apps/serving-registry-store.test.ts.
describe('model registry on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'model-registry-'));
  modelRegistrySuite(() => `sqlite:${join(dir, 'backend.sqlite')}`);
});
