// The cluster's CMDB connection settings against the CMDB stand-in, started in-process on a free loopback port:
// kind-specific checks (clear 400s), Secret references stored and returned but never a value, and "test
// connection" showing what the CMDB really answered — the mapping it gave, or its own error words and status —
// under the settings' deadline. Secrets come from an in-memory SecretReader (the Kubernetes read is the client's
// own test); the store is a real SQLite.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CmdbSettingsInput } from '@ks-gpu-ml/contracts';
import type { SecretReader } from '../../../backend/src/clients/kube-secrets.js';
import { createConfigStore } from '../../../backend/src/clients/store/alert-config.js';
import { createStore, type Store } from '../../../backend/src/clients/store/index.js';
import {
  createCmdbSettingsService,
  type CmdbSettingsService,
} from '../../../backend/src/features/cmdb-alerting/cmdb-settings.js';
import { AppError } from '../../../backend/src/core/errors.js';
import { GENERIC_MAPPING } from '../../sandbox/stand-ins/cmdb/generic.js';
import { CmdbState, standInCredentials as creds } from '../../sandbox/stand-ins/cmdb/state.js';
import { cmdbStandInAroundTests } from './cmdb-stand-in.js';

const state = new CmdbState();
const cmdb = cmdbStandInAroundTests(state);

const secretValues = new Map<string, string>([
  ['cmdb/netbox/token', creds.netboxToken],
  ['cmdb/netbox/wrong', 'not-the-token'],
  ['cmdb/bk/secret', creds.bk.appSecret],
  ['cmdb/generic/token', creds.genericToken],
]);
const secrets: SecretReader = {
  async read(namespace, name) {
    const data = new Map(
      [...secretValues]
        .filter(([k]) => k.startsWith(`${namespace}/${name}/`))
        .map(([k, v]) => [k.split('/')[2]!, v] as const),
    );
    return data.size ? { resourceVersion: '1', data, annotations: {} } : undefined;
  },
};

let store: Store;
let service: CmdbSettingsService;
beforeEach(async () => {
  store = createStore('sqlite::memory:');
  await store.migrate();
  service = createCmdbSettingsService({ store: createConfigStore(store, 'alert_setting'), secrets });
});
afterEach(async () => {
  state.faults.clear();
  await store.close();
});

const netbox = (over: Partial<CmdbSettingsInput> = {}): CmdbSettingsInput => ({
  kind: 'netbox',
  enabled: true,
  url: cmdb.url,
  secretRef: { namespace: 'cmdb', name: 'netbox', key: 'token' },
  ttlSeconds: 60,
  timeoutMs: 2_000,
  ...over,
});

async function refusal(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof AppError);
    return err;
  }
  assert.fail('expected a refusal');
}

describe('CMDB connection settings', () => {
  it('refuses settings a kind cannot work with, naming the field', async () => {
    const noSecret = await refusal(service.put(netbox({ secretRef: undefined })));
    assert.equal(noSecret.statusCode, 400);
    assert.equal(noSecret.details.field, 'body.secretRef');
    const bk = await refusal(service.put({ ...netbox(), kind: 'bk-cmdb' }));
    assert.equal((bk.details as { field: string }).field, 'body.appCode');
    const generic = await refusal(
      service.put({
        kind: 'generic',
        enabled: true,
        ttlSeconds: 60,
        timeoutMs: 1000,
        generic: {
          namespaceUrl: `${cmdb.url}/x`,
          businessUrl: `${cmdb.url}/y?name={name}`,
          items: 'a',
          name: 'b',
        },
      }),
    );
    assert.equal((generic.details as { field: string }).field, 'body.generic.namespaceUrl');
    const lastKnown = await refusal(service.put(netbox({ ttlSeconds: 600, lastKnownSeconds: 60 })));
    assert.equal((lastKnown.details as { field: string }).field, 'body.lastKnownSeconds');
    const test = await refusal(service.test({ settings: netbox({ url: undefined }) }));
    assert.equal((test.details as { field: string }).field, 'body.settings.url');
  });

  it('stores the Secret reference and returns it, never the credential', async () => {
    assert.deepEqual(await service.get(), { configured: false });
    await service.put(netbox());
    const shown = await service.get();
    assert.equal(shown.configured, true);
    assert.deepEqual(shown.settings?.secretRef, { namespace: 'cmdb', name: 'netbox', key: 'token' });
    assert.ok(!JSON.stringify(shown).includes(creds.netboxToken));
    const row = await store.db.selectFrom('alert_setting').select('spec').executeTakeFirstOrThrow();
    assert.ok(!row.spec.includes(creds.netboxToken));
  });

  it('the saved connection is the one the enrichment asks; switched off, none', async () => {
    await service.put(netbox());
    const cmdb = service.live();
    assert.equal(cmdb?.kind, 'netbox');
    const answer = await cmdb!.forNamespace({ namespace: 'prod-pay' });
    assert.equal(answer.business?.name, 'payments');
    await service.put(netbox({ enabled: false }));
    assert.equal(service.live(), undefined);
  });

  it('NetBox: shows the mapping the CMDB gave for a namespace, with the HTTP status', async () => {
    const r = await service.test({ settings: netbox(), namespace: 'prod-pay' });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.status, 200);
    assert.equal(r.query, 'namespace prod-pay');
    assert.equal(r.sample?.name, 'payments');
    assert.equal(r.sample?.importance, 'P1');
    assert.equal(r.sample?.owners[0]?.wecomUserId, 'payments-owner');
    assert.match(r.sample?.rule ?? '', /NetBox tenant/);
  });

  it('NetBox with a wrong token: the CMDB refusal in its own words, status 403', async () => {
    const r = await service.test({
      settings: netbox({ secretRef: { namespace: 'cmdb', name: 'netbox', key: 'wrong' } }),
      namespace: 'prod-pay',
    });
    assert.equal(r.ok, false);
    assert.equal(r.status, 403);
    assert.equal(r.error?.key, 'CMDB_UNAUTHORIZED');
    assert.match(r.error?.answer ?? '', /Invalid token/);
    assert.ok(!JSON.stringify(r).includes('not-the-token'));
  });

  it('a CMDB answering 500 or garbage: its answer, reduced, and the failure key', async () => {
    state.faults.set('netbox', 'server-error');
    const five = await service.test({ settings: netbox(), namespace: 'prod-pay' });
    assert.equal(five.status, 500);
    assert.equal(five.error?.key, 'CMDB_SERVER_ERROR');
    assert.match(five.error?.answer ?? '', /Server Error \(500\)/);
    state.faults.set('netbox', 'malformed');
    const garbage = await service.test({ settings: netbox(), namespace: 'prod-pay' });
    assert.equal(garbage.error?.key, 'CMDB_MALFORMED');
    assert.equal(garbage.status, 200);
  });

  it('a CMDB that never answers: unreachable once the settings deadline has passed', async () => {
    state.faults.set('netbox', 'timeout');
    const r = await service.test({ settings: netbox({ timeoutMs: 200 }), namespace: 'prod-pay' });
    assert.equal(r.ok, false);
    assert.equal(r.error?.key, 'CMDB_UNREACHABLE');
    assert.equal(r.status, undefined);
  });

  it('a missing Secret is said before the CMDB is asked', async () => {
    const before = state.requests.netbox;
    const r = await service.test({
      settings: netbox({ secretRef: { namespace: 'cmdb', name: 'gone', key: 'token' } }),
    });
    assert.equal(r.error?.key, 'CMDB_SECRET_MISSING');
    assert.equal(state.requests.netbox, before);
  });

  it('BlueKing CMDB: a system by name through the gateway', async () => {
    const r = await service.test({
      settings: {
        kind: 'bk-cmdb',
        enabled: true,
        url: cmdb.url,
        appCode: creds.bk.appCode,
        username: 'ks-alerting',
        secretRef: { namespace: 'cmdb', name: 'bk', key: 'secret' },
        ttlSeconds: 60,
        timeoutMs: 5_000,
      },
      system: 'payments',
    });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.sample?.name, 'payments');
    assert.equal(r.status, 200);
  });

  it('generic CMDB: the field mapping reads the in-house answer', async () => {
    const r = await service.test({
      settings: {
        kind: 'generic',
        enabled: true,
        secretRef: { namespace: 'cmdb', name: 'generic', key: 'token' },
        ttlSeconds: 60,
        timeoutMs: 2_000,
        generic: {
          namespaceUrl: `${cmdb.url}/generic/api/systems?namespace={namespace}`,
          businessUrl: `${cmdb.url}/generic/api/systems?name={name}`,
          header: 'Authorization',
          headerPrefix: 'Bearer ',
          ...GENERIC_MAPPING,
        },
      },
      namespace: 'prod-pay',
    });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.sample?.name, 'payments');
    assert.ok(r.sample?.owners.some((o) => o.email));
  });
});
