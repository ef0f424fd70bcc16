// A CMDB that answers but refuses: BK-CMDB's {result: false, code} envelope and a generic CMDB's mapped success
// code. Both adapters must give the same CMDB_REFUSED with the CMDB's code as the message's parameter (the locale
// text shows it). A local server plays the CMDB: only its answer's body matters here.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CmdbFailure } from './adapter.js';
import { createBkCmdbAdapter } from './bkcmdb.js';
import { createGenericCmdbAdapter } from './generic.js';

let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/generic')) res.end(JSON.stringify({ code: 'E42', data: { items: [] } }));
    else res.end(JSON.stringify({ result: false, code: 1199014, message: 'no permission', data: null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

async function failureOf(work: Promise<unknown>): Promise<CmdbFailure> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof CmdbFailure, `a CmdbFailure, got ${String(err)}`);
  return err;
}

describe('a CMDB that refuses', () => {
  it('BK-CMDB: result false with a code is CMDB_REFUSED naming the code', async () => {
    const adapter = createBkCmdbAdapter({
      baseUrl: base,
      appCode: 'app',
      appSecret: () => 'secret',
      username: 'ks-alerting',
    });
    const failure = await failureOf(adapter.business('payments', AbortSignal.timeout(5_000)));
    assert.deepEqual([failure.key, failure.params], ['CMDB_REFUSED', { code: 1199014 }]);
  });

  it('generic: a success code other than the mapped one is CMDB_REFUSED naming the code', async () => {
    const adapter = createGenericCmdbAdapter({
      namespaceUrl: `${base}/generic?namespace={namespace}`,
      businessUrl: `${base}/generic?name={name}`,
      headers: () => ({}),
      mapping: { items: 'data.items', name: 'name', code: { path: 'code', ok: 'OK' } },
    });
    const failure = await failureOf(adapter.business('payments', AbortSignal.timeout(5_000)));
    assert.deepEqual([failure.key, failure.params], ['CMDB_REFUSED', { code: 'E42' }]);
  });
});
