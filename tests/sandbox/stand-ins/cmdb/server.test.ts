// The CMDB stand-in answers as the reference says BlueKing CMDB's gateway and NetBox do: auth headers, envelopes,
// pagination, limits, and the faults tests switch on.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCmdbStandIn } from './server.js';
import { standInCredentials as creds } from './state.js';

const server = createCmdbStandIn();
let base: string;
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

/** The fields these assertions read from either API's answer. */
interface Body {
  result?: boolean;
  code?: number;
  data: { count: number; info: Record<string, unknown>[] };
  count: number;
  next: string | null;
  results: {
    name: string;
    custom_fields: Record<string, unknown>;
    role: { slug: string };
    priority: { value: string };
  }[];
}

const bkAuth = JSON.stringify({
  bk_app_code: creds.bk.appCode,
  bk_app_secret: creds.bk.appSecret,
  bk_username: 'admin',
});
async function bk(path: string, body: object, auth = bkAuth) {
  const r = await fetch(base + path, {
    method: 'POST',
    headers: { 'x-bkapi-authorization': auth },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Body };
}
async function nb(path: string, auth = `Token ${creds.netboxToken}`) {
  const r = await fetch(base + path, { headers: { authorization: auth } });
  return { status: r.status, body: (await r.json()) as Body };
}

describe('CMDB stand-in', () => {
  it('BK-CMDB: gateway refuses a wrong secret; search_business filters and pages (limit ≤ 200); the estate holds ≥ 50 systems', async () => {
    const wrong = await bk(
      '/api/v3/biz/search/0',
      { page: { start: 0, limit: 10 } },
      JSON.stringify({ bk_app_code: creds.bk.appCode, bk_app_secret: 'x', bk_username: 'a' }),
    );
    assert.deepEqual([wrong.status, wrong.body.code, wrong.body.result], [400, 1640001, false]);
    const all = await bk('/api/v3/biz/search/0', { page: { start: 0, limit: 200 } });
    assert.ok(all.body.data.count >= 50);
    const one = await bk('/api/v3/biz/search/0', {
      fields: ['bk_biz_id', 'bk_biz_name', 'biz_level'],
      biz_property_filter: {
        condition: 'AND',
        rules: [{ field: 'bk_biz_name', operator: 'equal', value: 'payments' }],
      },
      page: { start: 0, limit: 10 },
    });
    assert.deepEqual(one.body.data.info, [{ bk_biz_id: 1, bk_biz_name: 'payments', biz_level: 'P1' }]);
    assert.equal((await bk('/api/v3/biz/search/0', { page: { start: 0, limit: 201 } })).body.result, false);
  });

  it('BK-CMDB: list_kube_namespace needs bk_biz_id; enable_count answers the count; workloads number 5,000', async () => {
    assert.equal(
      (await bk('/api/v3/findmany/kube/namespace', { page: { start: 0, limit: 10 } })).body.result,
      false,
    );
    const ns = await bk('/api/v3/findmany/kube/namespace', { bk_biz_id: 1, page: { start: 0, limit: 500 } });
    assert.deepEqual(
      ns.body.data.info.map((n) => n.name),
      ['prod-pay', 'payments'],
    );
    let workloads = 0;
    for (let biz = 1; biz <= 60; biz++) {
      for (const kind of ['deployment', 'statefulSet', 'job']) {
        workloads += (
          await bk(`/api/v3/findmany/kube/workload/${kind}`, {
            bk_biz_id: biz,
            page: { start: 0, limit: 500, enable_count: true },
          })
        ).body.data.count;
      }
    }
    assert.equal(workloads, 5000);
  });

  it('NetBox: token required (v1 and v2), cf_ filter, limit/offset with next, contact assignments with role and priority', async () => {
    assert.equal((await nb('/api/tenancy/tenants/', '')).status, 403);
    assert.equal((await nb('/api/tenancy/tenants/', 'Token nope')).status, 403);
    const t = await nb('/api/tenancy/tenants/?cf_k8s_namespaces=prod-pay', `Bearer ${creds.netboxV2}`);
    assert.deepEqual(
      [t.body.count, t.body.results[0]?.name, t.body.results[0]?.custom_fields.importance],
      [1, 'payments', 'P1'],
    );
    const page = await nb('/api/tenancy/tenants/?limit=10');
    assert.equal(page.body.results.length, 10);
    assert.match(page.body.next ?? '', /offset=10/);
    const a = await nb('/api/tenancy/contact-assignments/?object_type=tenancy.tenant&object_id=1');
    assert.deepEqual(
      a.body.results.map((r) => [r.role.slug, r.priority.value]),
      [
        ['owner', 'primary'],
        ['ops', 'secondary'],
        ['dev', 'tertiary'],
      ],
    );
  });

  it("a test's system: its owner gets the test's own mobile when given, which must be E.164", async () => {
    const system = (body: object) =>
      fetch(`${base}/_stand-in/systems`, { method: 'POST', body: JSON.stringify(body) });
    const input = { name: 'calls-test', importance: 'P1', namespaces: ['calls-ns'] };
    assert.equal((await system({ ...input, mobile: '13712345678' })).status, 400);
    const created = (await (await system({ ...input, mobile: '+8613712345678' })).json()) as { id: number };
    const phoneOfOwner = async () => {
      const a = await nb(
        `/api/tenancy/contact-assignments/?object_type=tenancy.tenant&object_id=${created.id}`,
      );
      const id = (a.body.results[0] as unknown as { contact: { id: number } }).contact.id;
      const contacts = (await nb(`/api/tenancy/contacts/?id=${id}`)).body.results as unknown as {
        id: number;
        phone: string;
      }[];
      return contacts.find((c) => c.id === id)?.phone;
    };
    assert.equal(await phoneOfOwner(), '+8613712345678');
    // Mapped again without a mobile: the number stays.
    assert.equal((await system(input)).status, 200);
    assert.equal(await phoneOfOwner(), '+8613712345678');
  });

  it('faults: down resets, server-error 500, malformed JSON, then cleared', async () => {
    const fault = (f: string | null) =>
      fetch(`${base}/_stand-in/faults`, {
        method: 'POST',
        body: JSON.stringify({ target: 'netbox', fault: f }),
      });
    assert.equal((await fault('flood')).status, 400);
    await fault('down');
    await assert.rejects(fetch(`${base}/api/tenancy/tenants/`));
    await fault('server-error');
    assert.equal((await fetch(`${base}/api/tenancy/tenants/`)).status, 500);
    await fault('malformed');
    await assert.rejects((await fetch(`${base}/api/tenancy/tenants/`)).json());
    await fault(null);
    assert.equal((await nb('/api/tenancy/tenants/?name=payments')).body.count, 1);
  });
});
