import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { storeSuite } from './store-suite.js';

// PostgreSQL and MySQL run the same suite in tests/integration/backend/store.test.ts.
describe('store on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'store-'));
  storeSuite(() => `sqlite:${join(dir, 'nested', 'backend.sqlite')}`);
});
