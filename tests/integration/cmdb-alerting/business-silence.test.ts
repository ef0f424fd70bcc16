// A silence on a business system against the sandbox's real Alertmanager and kube-apiserver: it silences exactly
// that system's alerts. "payments" owns a Deployment in a namespace it shares with "ledger", and a whole namespace
// (its label names payments); alerts are posted to Alertmanager's API v2 for each pod and for the shared namespace
// itself. After the business silence, Alertmanager reports the payments pods' alerts suppressed and the ledger
// pod's and the shared namespace's alerts active; a payments Deployment added later is covered after a re-expansion
// (kept in step with the mapping), and expiring the business silence lifts all of it.
import { CoreV1Api } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAlertmanagerClient } from '../../../backend/src/clients/alertmanager.js';
import { createKubeClient } from '../../../backend/src/clients/kube.js';
import {
  createBusinessSilences,
  createBusinessViews,
} from '../../../backend/src/features/cmdb-alerting/business-setup.js';
import type { BusinessSilenceService } from '../../../backend/src/features/cmdb-alerting/business-silences.js';
import { createTranslator, shippedCatalogues } from '../../../backend/src/core/i18n.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace, uniqueName, waitFor } from '../../sandbox/src/testing.js';
import { deployOnePod } from './workloads.js';

const env = readSandboxEnv();
const core = adminKubeConfig().makeApiClient(CoreV1Api);
const run = uniqueName('bizsil');
const payments = `payments-${run}`;
const ledger = `ledger-${run}`;
const alertname = `BusinessSilenceTest${run.replace(/[^a-z0-9]/g, '')}`;
const namespaces: { name: string; remove: () => Promise<void> }[] = [];
let silences: BusinessSilenceService;
let group = '';

/** Fires alerts in Alertmanager (API v2), as Prometheus would; they end by themselves in 5 minutes. */
async function fire(labelSets: Record<string, string>[]): Promise<void> {
  const endsAt = new Date(Date.now() + 5 * 60_000).toISOString();
  const res = await fetch(`${env.ALERTMANAGER_URL}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(labelSets.map((labels) => ({ labels: { alertname, ...labels }, endsAt }))),
    signal: AbortSignal.timeout(5_000),
  });
  assert.equal(res.status, 200, await res.text());
}

/** Each of this test's alerts (by pod, or `ns:<namespace>` for a namespace's own) and whether it is silenced. */
async function states(): Promise<Record<string, string>> {
  const res = await fetch(
    `${env.ALERTMANAGER_URL}/api/v2/alerts?${new URLSearchParams({ filter: `alertname="${alertname}"` })}`,
    { signal: AbortSignal.timeout(5_000) },
  );
  const alerts = (await res.json()) as { labels: Record<string, string>; status: { state: string } }[];
  return Object.fromEntries(alerts.map((a) => [a.labels.pod ?? `ns:${a.labels.namespace}`, a.status.state]));
}

const pods: Record<string, string> = {};

before(async () => {
  namespaces.push(await createTestNamespace('bizsil-shared'), await createTestNamespace('bizsil-whole'));
  const [shared, whole] = namespaces.map((n) => n.name) as [string, string];
  const ns = await core.readNamespace({ name: whole });
  ns.metadata!.labels = { ...ns.metadata!.labels, 'business.kubesphere.io/system': payments };
  await core.replaceNamespace({ name: whole, body: ns });
  pods.api = await deployOnePod(shared, 'api', { 'app.kubernetes.io/part-of': payments });
  pods.books = await deployOnePod(shared, 'books', { 'app.kubernetes.io/part-of': ledger });
  pods.worker = await deployOnePod(whole, 'worker', {});
  await fire([
    { namespace: shared, pod: pods.api },
    { namespace: shared, pod: pods.books },
    { namespace: whole, pod: pods.worker },
    { namespace: shared },
  ]);
  const kube = createKubeClient({ kubeconfigPath: env.KUBECONFIG, timeoutMs: 10_000 });
  const views = createBusinessViews({ kube, translate: createTranslator(shippedCatalogues()) });
  silences = createBusinessSilences(
    views,
    createAlertmanagerClient({ baseUrl: env.ALERTMANAGER_URL!, timeoutMs: 5_000 }),
  );
});
after(async () => {
  if (group) await silences.expire(group).catch(() => undefined);
  await Promise.all(namespaces.map((n) => n.remove()));
});

describe('silences by business system in Alertmanager', () => {
  it('a silence on payments silences exactly its alerts, follows a new workload, and lifts on expiry', async () => {
    const [shared, whole] = namespaces.map((n) => n.name) as [string, string];
    await waitFor(
      'the alerts in Alertmanager',
      async () => Object.keys(await states()).length === 4 || undefined,
    );
    assert.deepEqual(Object.values(await states()), ['active', 'active', 'active', 'active']);

    const created = await silences.create(
      { system: payments, durationMinutes: 30, comment: 'maintenance window' },
      'ops-lead',
    );
    group = created.group;
    assert.equal(created.system, payments);
    assert.deepEqual(
      created.silences
        .map((s) => s.matchers.map((m) => `${m.name}${m.isRegex ? '=~' : '='}${m.value}`))
        .sort(),
      [[`namespace=${shared}`, `pod=~${pods.api}`], [`namespace=${whole}`]],
      'the shared namespace by pod, the whole namespace by itself',
    );
    const expected = {
      [pods.api!]: 'suppressed',
      [pods.worker!]: 'suppressed',
      [pods.books!]: 'active',
      [`ns:${shared}`]: 'active',
    };
    await waitFor('Alertmanager to apply the silences', async () => {
      const now = await states();
      return (
        JSON.stringify(Object.entries(now).sort()) === JSON.stringify(Object.entries(expected).sort()) ||
        undefined
      );
    }).catch(async (err: unknown) => {
      throw new Error(`${String(err)}: ${JSON.stringify(await states())}`);
    });
    const listed = await silences.list();
    const mine = listed.items.find((s) => s.group === group);
    assert.deepEqual(
      [mine?.system, mine?.comment, mine?.createdBy],
      [payments, 'maintenance window', 'ops-lead'],
    );

    // The mapping changes: another payments Deployment in the shared namespace. A re-expansion covers it.
    pods.api2 = await deployOnePod(shared, 'api2', { 'app.kubernetes.io/part-of': payments });
    await fire([{ namespace: shared, pod: pods.api2 }]);
    await waitFor('the new alert', async () => (await states())[pods.api2!] === 'active' || undefined);
    const { added, expired } = await silences.resync();
    assert.deepEqual([added, expired], [1, 1], 'the shared namespace set replaced, the whole one kept');
    await waitFor(
      'the new pod silenced',
      async () => (await states())[pods.api2!] === 'suppressed' || undefined,
    );
    assert.equal((await states())[pods.books!], 'active', 'ledger stays loud');
    assert.deepEqual(await silences.resync(), { added: 0, expired: 0 }, 'in step: nothing to do');

    await silences.expire(group);
    group = '';
    await waitFor(
      'every alert active again',
      async () => Object.values(await states()).every((s) => s === 'active') || undefined,
    );
  });
});
