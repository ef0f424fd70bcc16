import { after, before, describe } from 'node:test';
import { startMysql, startPostgres, type DatabaseServer } from '../../sandbox/src/databases.js';
import { storeSuite } from '../../../backend/src/clients/store/store-suite.js';

// The same suite as backend/src/clients/store/store.test.ts (SQLite), on real PostgreSQL and MariaDB servers.
for (const [name, start] of [
  ['PostgreSQL', startPostgres],
  ['MySQL (MariaDB)', startMysql],
] as const) {
  describe(`store on ${name}`, () => {
    let server: DatabaseServer;
    before(async () => {
      server = await start();
    });
    after(async () => {
      await server?.stop();
    });
    storeSuite(() => server.url);
  });
}
