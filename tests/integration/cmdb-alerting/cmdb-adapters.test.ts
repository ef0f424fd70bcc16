// The three CMDB adapters against the CMDB stand-in, started in-process on a free loopback port (no sandbox
// needed): each one's auth header and documented answers, and — behind the cache — the last known mapping served
// flagged stale when the CMDB is down, times out, answers 500 or garbage, never a throw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CmdbAdapter } from '../../../backend/src/clients/cmdb/adapter.js';
import { createBkCmdbAdapter } from '../../../backend/src/clients/cmdb/bkcmdb.js';
import { createCachedCmdb } from '../../../backend/src/clients/cmdb/cached.js';
import { createGenericCmdbAdapter } from '../../../backend/src/clients/cmdb/generic.js';
import { createNetboxAdapter } from '../../../backend/src/clients/cmdb/netbox.js';
import { GENERIC_MAPPING } from '../../sandbox/stand-ins/cmdb/generic.js';
import {
  CmdbState,
  standInCredentials as creds,
  type Fault,
  type Target,
} from '../../sandbox/stand-ins/cmdb/state.js';
import { cmdbStandInAroundTests } from './cmdb-stand-in.js';

const state = new CmdbState();
const cmdb = cmdbStandInAroundTests(state);

const netbox = (token = creds.netboxToken) => createNetboxAdapter({ baseUrl: cmdb.url, token: () => token });
const bk = (secret = creds.bk.appSecret) =>
  createBkCmdbAdapter({
    baseUrl: cmdb.url,
    appCode: creds.bk.appCode,
    appSecret: () => secret,
    username: 'ks-alerting',
  });
const generic = () =>
  createGenericCmdbAdapter({
    namespaceUrl: `${cmdb.url}/generic/api/systems?namespace={namespace}`,
    businessUrl: `${cmdb.url}/generic/api/systems?name={name}`,
    headers: () => ({ authorization: `Bearer ${creds.genericToken}` }),
    mapping: GENERIC_MAPPING,
  });
const adapters: [Target, () => CmdbAdapter][] = [
  ['netbox', () => netbox()],
  ['bk-cmdb', () => bk()],
  ['generic', generic],
];
const signal = () => AbortSignal.timeout(5_000);
const setFault = (target: Target, fault: Fault | null) => {
  if (fault) state.faults.set(target, fault);
  else state.faults.delete(target);
};

describe('CMDB adapters against the CMDB stand-in', () => {
  it('NetBox: the tenant whose k8s_namespaces holds the namespace, its importance, contacts primary first with WeCom id, phone and email', async () => {
    const r = await netbox().forNamespace({ namespace: 'prod-pay' }, signal());
    assert.equal(r?.name, 'payments');
    assert.equal(r?.importance, 'P1');
    assert.match(r?.rule ?? '', /^NetBox tenant 1 \(custom field k8s_namespaces holds prod-pay\)$/);
    assert.deepEqual(r?.owners[0], {
      name: 'payments-owner',
      role: 'owner',
      priority: 1,
      wecomUserId: 'payments-owner',
      mobile: r?.owners[0]?.mobile,
      email: 'payments-owner@example.com',
    });
    assert.match(r?.owners[0]?.mobile ?? '', /^\+86/);
    assert.deepEqual(
      r?.owners.map((o) => o.role),
      ['owner', 'ops', 'dev'],
    );
    assert.equal((await netbox(creds.netboxV2).business('biz-007', signal()))?.importance, 'P4');
    assert.equal(await netbox().forNamespace({ namespace: 'nobody-owns-this' }, signal()), undefined);
  });

  it('BK-CMDB: the namespace index over every business, importance from biz_level, owners operator → maintainer → developer', async () => {
    const adapter = bk();
    const r = await adapter.forNamespace({ namespace: 'prod-pay' }, signal());
    assert.deepEqual(
      [r?.name, r?.importance, r?.rule],
      ['payments', 'P1', 'BK-CMDB business 1 (kube namespace prod-pay)'],
    );
    assert.deepEqual(
      r?.owners.map((o) => [o.wecomUserId, o.priority]),
      [
        ['payments-owner', 1],
        ['payments-ops', 2],
        ['payments-dev', 3],
      ],
    );
    const before = state.requests['bk-cmdb'];
    assert.equal((await adapter.forNamespace({ namespace: 'biz-042-test' }, signal()))?.name, 'biz-042');
    assert.equal(state.requests['bk-cmdb'], before, 'the index answered without asking again');
    assert.equal((await adapter.business('biz-013', signal()))?.id, '14');
  });

  it('generic: read through the field mapping only', async () => {
    const r = await generic().forNamespace({ namespace: 'payments' }, signal());
    assert.deepEqual(
      [r?.name, r?.importance, r?.owners[0]?.wecomUserId, r?.owners[0]?.priority],
      ['payments', 'P1', 'payments-owner', 1],
    );
  });

  it('wrong credentials are a receiver-visible CMDB_UNAUTHORIZED for each CMDB', async () => {
    const opts = { ttlMs: 60_000, lastKnownMs: 600_000, maxBytes: 1_000_000, deadlineMs: 2_000 };
    assert.equal(
      (await createCachedCmdb(netbox('wrong'), opts).forNamespace({ namespace: 'prod-pay' })).error,
      'CMDB_UNAUTHORIZED',
    );
    assert.equal((await createCachedCmdb(bk('wrong'), opts).business('payments')).error, 'CMDB_UNAUTHORIZED');
  });

  for (const [target, make] of adapters) {
    it(`${target}: down, timeout, 500, malformed and wrong-shape answers serve the last known mapping flagged stale, with the reason`, async () => {
      let t = 0;
      const adapter = make();
      // BK-CMDB's namespace index takes a request per business: built once here, outside the lookup's deadline.
      if (target === 'bk-cmdb') await adapter.forNamespace({ namespace: 'prod-pay' }, signal());
      const cmdb = createCachedCmdb(adapter, {
        ttlMs: 1_000,
        lastKnownMs: 3_600_000,
        maxBytes: 1_000_000,
        deadlineMs: 1_000,
        now: () => t,
      });
      const warm = await cmdb.forNamespace({ namespace: 'prod-pay' });
      assert.deepEqual([warm.business?.name, warm.stale], ['payments', false]);
      if (target === 'bk-cmdb') assert.equal((await cmdb.business('payments')).business?.name, 'payments');
      const asked = state.requests[target];
      await cmdb.forNamespace({ namespace: 'prod-pay' });
      assert.equal(state.requests[target], asked, 'a warm answer does not ask the CMDB');
      const expected: [Fault, string][] = [
        ['down', 'CMDB_UNREACHABLE'],
        ['timeout', 'CMDB_UNREACHABLE'],
        ['server-error', 'CMDB_SERVER_ERROR'],
        ['malformed', 'CMDB_MALFORMED'],
        ['wrong-shape', 'CMDB_MALFORMED'],
      ];
      try {
        for (const [fault, key] of expected) {
          setFault(target, fault);
          // BK-CMDB keeps its namespace index; ask a business too so its calls meet the fault.
          t += 2_000;
          const answer =
            target === 'bk-cmdb'
              ? await cmdb.business('payments')
              : await cmdb.forNamespace({ namespace: 'prod-pay' });
          assert.deepEqual(
            [answer.business?.name, answer.stale, answer.error],
            ['payments', true, key],
            `${target} ${fault}`,
          );
        }
        setFault(target, null);
        t += 2_000;
        const back = await cmdb.forNamespace({ namespace: 'prod-pay' });
        assert.deepEqual([back.business?.name, back.stale, back.error], ['payments', false, undefined]);
      } finally {
        setFault(target, null);
      }
    });
  }
});
