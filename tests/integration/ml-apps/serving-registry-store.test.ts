import { after, before, describe } from 'node:test';
import { modelRegistrySuite } from '../../../backend/src/clients/store/model-registry-suite.js';
import { startPostgres, type DatabaseServer } from '../../sandbox/src/databases.js';

// The model registry's suite (SQLite: backend/src/clients/store/model-registry.test.ts) on a real PostgreSQL.
describe('model registry on PostgreSQL', () => {
  let server: DatabaseServer;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });
  modelRegistrySuite(() => server.url);
});
