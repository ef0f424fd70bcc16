import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { createEscalationStore } from './alert-escalation.js';
import { createAlertIntakeStore } from './alert-intake.js';
import { createReplyCodeStore } from './alert-reply.js';
import { createStore, type Store } from './index.js';
import { coreMigrations } from './migrations.js';
import { outboxSuite } from './outbox-suite.js';

/**
 * The store's behaviour, the same on every database: run by store.test.ts on SQLite (unit) and by
 * tests/integration/backend/store.test.ts on real PostgreSQL and MySQL servers.
 */
export function storeSuite(url: () => string): void {
  let store: Store;

  it('applies the migrations once, and again as a no-op', async () => {
    store = createStore(url());
    const first = await store.migrate();
    // Every migration in name order; features append theirs, so the list is the provider's, starting with these.
    const names = Object.keys(await coreMigrations(store.dialect).getMigrations()).sort();
    assert.deepEqual(first, names);
    assert.deepEqual(names.slice(0, 4), [
      '0001_core_app_meta',
      '0002_core_app_event',
      '0003_cmdb_alerting_intake',
      '0004_cmdb_alerting_outbox',
    ]);
    assert.deepEqual(await store.migrate(), []);
    const second = createStore(url()); // another replica starting later
    assert.deepEqual(await second.migrate(), []);
    await second.close();
  });

  it('answers ping', async () => {
    await store.ping();
  });

  it('writes, upserts and reads app_meta', async () => {
    const db = store.db;
    await db.insertInto('app_meta').values({ key: 'schema', value: 'v1', updated_at: 1 }).execute();
    const upsert = (value: string, at: number) => {
      const row = { key: 'schema', value, updated_at: at };
      return store.dialect === 'mysql'
        ? db.insertInto('app_meta').values(row).onDuplicateKeyUpdate({ value, updated_at: at }).execute()
        : db
            .insertInto('app_meta')
            .values(row)
            .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
            .execute();
    };
    await upsert('v2', Date.now());
    const rows = await db.selectFrom('app_meta').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.value, 'v2');
    assert.ok(Number(rows[0]?.updated_at) > 1_600_000_000_000, 'bigint milliseconds survive the round trip');
  });

  it('numbers auto-increment keys in insertion order', async () => {
    const db = store.db;
    for (const kind of ['a', 'b', 'a']) {
      await db
        .insertInto('app_event')
        .values({ kind, payload: JSON.stringify({ kind }), created_at: Date.now() })
        .execute();
    }
    const rows = await db
      .selectFrom('app_event')
      .select(['id', 'kind'])
      .where('kind', '=', 'a')
      .orderBy('id')
      .execute();
    assert.equal(rows.length, 2);
    assert.ok(Number(rows[0]?.id) < Number(rows[1]?.id));
  });

  it('rolls back a failed transaction', async () => {
    const db = store.db;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('app_event')
          .values({ kind: 'rollback', payload: '{}', created_at: 0 })
          .execute();
        await trx.insertInto('app_meta').values({ key: 'schema', value: 'dup', updated_at: 0 }).execute(); // duplicate key
      }),
    );
    const { count } = await db
      .selectFrom('app_event')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('kind', '=', 'rollback')
      .executeTakeFirstOrThrow();
    assert.equal(Number(count), 0);
  });

  it('stores text of any length and any script unchanged', async () => {
    const payload = JSON.stringify({ text: '告警 ✓ '.repeat(5000) });
    await store.db.insertInto('app_event').values({ kind: 'unicode', payload, created_at: 0 }).execute();
    const row = await store.db
      .selectFrom('app_event')
      .select('payload')
      .where('kind', '=', 'unicode')
      .executeTakeFirstOrThrow();
    assert.equal(row.payload, payload);
  });

  it('records intake alerts once per dedup key, also when two writers race', async () => {
    const intake = createAlertIntakeStore(store);
    const alert = (key: string, fingerprint: string) => ({
      dedupKey: key,
      fingerprint,
      status: 'firing',
      startsAt: '2026-12-05T10:00:00Z',
      labels: { alertname: '告警' },
      annotations: {},
    });
    const batch = (alerts: ReturnType<typeof alert>[]) => ({
      groupKey: '{}:{alertname="x"}',
      receiver: 'r',
      status: 'firing',
      payload: '{}',
      alerts,
      receivedAt: Date.now(),
    });
    assert.deepEqual(await intake.record(batch([alert('k1', 'f1'), alert('k2', 'f2')])), {
      recorded: 2,
      duplicates: 0,
    });
    assert.deepEqual(await intake.record(batch([alert('k1', 'f1'), alert('k3', 'f3')])), {
      recorded: 1,
      duplicates: 1,
    });
    // Two replicas receiving the two Alertmanagers' copies at the same moment.
    const raced = await Promise.all([
      intake.record(batch([alert('k4', 'f4')])),
      intake.record(batch([alert('k4', 'f4')])),
    ]);
    assert.equal(raced[0].recorded + raced[1].recorded, 1);
    assert.equal((await intake.alertsOf('f4')).length, 1);
    assert.deepEqual((await intake.alertsOf('f1'))[0]?.labels, { alertname: '告警' });
    assert.equal(await intake.countAlerts(), 4);
    const newest = await intake.recent(2);
    assert.deepEqual(
      newest.map((a) => a.fingerprint),
      ['f4', 'f3'],
    );
    assert.deepEqual(
      (await intake.recent(10, newest[1]!.id)).map((a) => a.fingerprint),
      ['f2', 'f1'],
    );
  });

  it('starts escalations in bulk, telling which were new, and pages through the running ones', async () => {
    const escalations = createEscalationStore<{ name: string }>(store);
    const row = (key: string, state: 'escalating' | 'exhausted' = 'escalating') => ({
      alertKey: key,
      owner: '',
      policy: { name: 'p' },
      alert: { fingerprint: key, startsAt: '2026-12-05T10:00:00Z', labels: {}, annotations: {} },
      firingAt: 0,
      state,
      stepsSent: 1,
      notified: ['robot'],
    });
    const keys = Array.from({ length: 450 }, (_, i) => `bulk-${i}`);
    const first = await escalations.startMany(
      keys.map((k) => row(k)),
      1,
    );
    assert.equal(first.size, 450);
    // Another replica's batch overlapping this one: only the new keys are its to notify.
    const again = await escalations.startMany([row('bulk-0'), row('bulk-new', 'exhausted')], 2);
    assert.deepEqual([...again], ['bulk-new']);
    assert.equal((await escalations.get('bulk-new'))?.state, 'exhausted');
    assert.deepEqual((await escalations.get('bulk-7'))?.notified, ['robot']);
    const seen: string[] = [];
    for (let page = await escalations.escalating(200); page.length > 0;) {
      seen.push(...page.map((r) => r.alertKey).filter((k) => k.startsWith('bulk-')));
      page = page.length < 200 ? [] : await escalations.escalating(200, page.at(-1)!.id);
    }
    assert.deepEqual(seen, keys, 'every running one once, oldest first; the exhausted one not');
  });

  outboxSuite(() => store, url);

  it('grants WeCom reply codes per receiver and user, and finds the latest expiry (docs/adr/0047)', async () => {
    const codes = createReplyCodeStore(store);
    const grant = (userId: string, receiver: string, expiresAt: number) => ({
      code: 'AAAA1111',
      alertKey: 'fp-1',
      receiver,
      userId,
      expiresAt,
    });
    // Past one insert's chunk of 200: a step's message to a large group of people.
    const many = Array.from({ length: 450 }, (_, i) => grant(`user-${i}`, 'ws/app', 1_700_000_000_000));
    await codes.grant([...many, grant('zhangsan', 'ws/app', 1_700_000_000_000)]);
    await codes.grant([grant('zhangsan', 'ws/app', 1_700_000_060_000)]);
    assert.deepEqual(await codes.lookup('AAAA1111', 'ws/app', 'zhangsan'), {
      found: 'granted',
      alertKey: 'fp-1',
      expiresAt: 1_700_000_060_000,
    });
    assert.equal((await codes.lookup('AAAA1111', 'ws/app', 'user-449')).found, 'granted');
    assert.deepEqual(await codes.lookup('AAAA1111', 'ws/app', 'lisi'), { found: 'not-sent-to-user' });
    assert.deepEqual(await codes.lookup('AAAA1111', 'other-app', 'zhangsan'), { found: 'unknown' });
    assert.deepEqual(await codes.lookup('BBBB2222', 'ws/app', 'zhangsan'), { found: 'unknown' });
  });

  it('closes cleanly', async () => {
    await sql`select 1`.execute(store.db);
    await store.close();
  });
}
