// The mapping page of CMDB Alerting in the real console against the sandbox, as a platform admin uses it: they name
// a pod and see which business system it resolves to and why. Two real owner chains in kube-apiserver, made by
// kube-controller-manager: a Deployment labelled app.kubernetes.io/part-of (pod → ReplicaSet → Deployment), and a
// Kubeflow Notebook whose StatefulSet (owned by the Notebook, as the notebook controller makes it) has a pod
// (pod → StatefulSet → Notebook). The page shows the system, the rule that named it, each step tried and the
// objects read; a pod in a namespace nobody maps shows every step failing and the unowned bucket. The business
// systems page lists both systems with their top-level workloads. Needs the sandbox
// and the bundles (`npm run build`); its namespaces are removed after.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { ALERTING_IDS } from '../../extensions/cmdb-alerting/src/test-ids.js';
import { adminKubeConfig, createTestNamespace, uniqueName } from '../sandbox/src/testing.js';
import { waitFor } from '../sandbox/src/wait.js';
import { withSession } from './harness.js';
import { startStack, type Stack } from './stack.js';

const apps = adminKubeConfig().makeApiClient(AppsV1Api);
const core = adminKubeConfig().makeApiClient(CoreV1Api);
const custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
const byId = (id: string) => `[data-testid="${id}"]`;
const SEARCH = 'Search';
const run = uniqueName('map');
const system = `payments-${run}`;
const research = `research-${run}`;
const namespaces: { name: string; remove: () => Promise<void> }[] = [];
let stack: Stack;

const podOf = (namespace: string, selector: string) =>
  waitFor(`a pod of ${namespace} (${selector})`, async () => {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: selector });
    return pods.items[0]?.metadata?.name;
  });

async function deployment(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  annotations: Record<string, string> = {},
): Promise<string> {
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name, labels, annotations },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'main', image: 'busybox' }] },
        },
      },
    },
  });
  return podOf(namespace, `app=${name}`);
}

/** A Notebook and the StatefulSet its controller would make (controller ownerReference to the Notebook). */
async function notebook(namespace: string, name: string, labels: Record<string, string>): Promise<string> {
  const nb = (await custom.createNamespacedCustomObject({
    group: 'kubeflow.org',
    version: 'v1',
    namespace,
    plural: 'notebooks',
    body: {
      apiVersion: 'kubeflow.org/v1',
      kind: 'Notebook',
      metadata: { name, labels },
      spec: { template: { spec: { containers: [{ name, image: 'jupyter' }] } } },
    },
  })) as { metadata: { uid: string } };
  await apps.createNamespacedStatefulSet({
    namespace,
    body: {
      metadata: {
        name,
        ownerReferences: [
          { apiVersion: 'kubeflow.org/v1', kind: 'Notebook', name, uid: nb.metadata.uid, controller: true },
        ],
      },
      spec: {
        replicas: 1,
        serviceName: name,
        selector: { matchLabels: { 'notebook-name': name } },
        template: {
          metadata: { labels: { 'notebook-name': name } },
          spec: { containers: [{ name, image: 'jupyter' }] },
        },
      },
    },
  });
  return podOf(namespace, `notebook-name=${name}`);
}

let paymentsPod = '';
let notebookPod = '';
let strayPod = '';

before(async () => {
  namespaces.push(await createTestNamespace('map-pay'), await createTestNamespace('map-stray'));
  const [pay, stray] = namespaces.map((n) => n.name) as [string, string];
  paymentsPod = await deployment(
    pay,
    'api',
    {
      'app.kubernetes.io/part-of': system,
      'business.kubesphere.io/importance': 'P1',
    },
    { 'business.kubesphere.io/owners': 'zhangwei,lina' },
  );
  notebookPod = await notebook(pay, 'nb', { 'app.kubernetes.io/part-of': research });
  strayPod = await deployment(stray, 'stray', {});
  stack = await startStack();
});
after(async () => {
  await stack?.close();
  await Promise.all(namespaces.map((n) => n.remove()));
});

describe('CMDB Alerting: the mapping page', () => {
  test('an admin names a pod and sees the system, the rule behind each field, each step and the objects read', async () => {
    const [pay, stray] = namespaces.map((n) => n.name) as [string, string];
    await withSession('cmdb-mapping', { consoleUrl: stack.consoleUrl, user: 'admin' }, async (s) => {
      // The business systems page: each system with the workloads that resolve to it.
      await s.page.goto(`${stack.consoleUrl}/clusters/host/cmdb-alerting`);
      await s.page.locator(byId(ALERTING_IDS.tab('businesses'))).click({ timeout: 60_000 });
      await s.page.waitForURL('**/clusters/host/cmdb-alerting/businesses');
      await s.page.getByLabel(SEARCH).fill(run);
      const systemRow = (name: string) =>
        s.page.locator('tr', {
          has: s.page.locator(byId(ALERTING_IDS.businessSystemRow), { hasText: name }),
        });
      await systemRow(system).waitFor({ timeout: 60_000 });
      assert.match(
        await systemRow(system).innerText(),
        new RegExp(`P1\\s+zhangwei; lina\\s+Deployment ${pay}/api`),
      );
      assert.match(await systemRow(research).innerText(), new RegExp(`Notebook ${pay}/nb`));
      assert.doesNotMatch(
        await systemRow(system).innerText(),
        /StatefulSet|ReplicaSet/,
        'top-level workloads only',
      );

      await s.page.locator(byId(ALERTING_IDS.tab('mapping'))).click({ timeout: 60_000 });
      await s.page.waitForURL('**/clusters/host/cmdb-alerting/mapping');
      await s.page.getByLabel('Project', { exact: true }).fill(pay);
      await s.page.getByLabel('Pod', { exact: true }).fill(paymentsPod);
      await s.page.locator(byId(ALERTING_IDS.mappingExplain)).click();

      const systemName = s.page.locator(byId(ALERTING_IDS.mappingSystem));
      await systemName.getByText(system).waitFor({ timeout: 30_000 });
      const field = (name: string) => s.page.locator(byId(ALERTING_IDS.businessField(name))).innerText();
      assert.match(
        await field('system'),
        new RegExp(`Workload \\(owner chain\\)\\s+label app.kubernetes.io/part-of on Deployment ${pay}/api`),
      );
      assert.match(await field('importance'), /P1\s+Workload.*label business.kubesphere.io\/importance/);
      assert.match(
        await field('owners'),
        /zhangwei; lina\s+Workload.*annotation business.kubesphere.io\/owners/,
      );
      assert.match(
        await field('workloads'),
        new RegExp(`Pod ${pay}/${paymentsPod} ← ReplicaSet ${pay}/api-`),
      );
      const steps = s.page.locator(byId(ALERTING_IDS.resolutionStep));
      assert.equal(await steps.count(), 1);
      assert.match(await steps.first().innerText(), /Workload \(owner chain\)\s+Matched/);
      const objects = await s.page.locator(byId(ALERTING_IDS.mappingObject)).allInnerTexts();
      assert.equal(objects.length, 4);
      assert.match(objects[0]!, new RegExp(`^Pod ${pay}/${paymentsPod}`));
      assert.match(objects[1]!, new RegExp(`^ReplicaSet ${pay}/api-`));
      assert.match(objects[2]!, new RegExp(`^Deployment ${pay}/api`));
      assert.match(objects[3]!, new RegExp(`^Namespace ${pay}`));
      assert.match(objects[2]!, new RegExp(`label app.kubernetes.io/part-of=${system}`));

      // A Notebook's pod: the owner chain climbs pod → StatefulSet → Notebook (a custom resource).
      await s.page.goto(
        `${stack.consoleUrl}/clusters/host/cmdb-alerting/mapping?namespace=${pay}&pod=${notebookPod}`,
      );
      await systemName.getByText(research).waitFor({ timeout: 30_000 });
      assert.match(
        await field('system'),
        new RegExp(`label app.kubernetes.io/part-of on Notebook ${pay}/nb`),
      );
      assert.match(await field('workloads'), new RegExp(`StatefulSet ${pay}/nb ← Notebook ${pay}/nb`));

      // A pod nobody maps: each source tried says why, and it lands in the unowned bucket.
      await s.page.goto(
        `${stack.consoleUrl}/clusters/host/cmdb-alerting/mapping?namespace=${stray}&pod=${strayPod}`,
      );
      await systemName.getByText('unowned').waitFor({ timeout: 30_000 });
      const chain = (await steps.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      assert.equal(chain.length, 5);
      assert.match(chain[0]!, /Workload \(owner chain\) No match/);
      assert.match(chain[1]!, /Namespace labels and annotations No match/);
      assert.match(chain[2]!, /CMDB Skipped/);
      assert.match(chain[3]!, /Workspace No match/);
      assert.match(chain[4]!, /Unowned Unowned bucket/);

      // Naming a pod that does not exist answers the backend's 404, said on the page.
      s.expect(
        /^404 GET (\/clusters\/host)?\/kapis\/cmdb-alerting\.ks-gpu-ml\.io\/v1alpha1\/podmappings\/no-such-pod/,
      );
      await s.page.goto(
        `${stack.consoleUrl}/clusters/host/cmdb-alerting/mapping?namespace=${stray}&pod=no-such-pod`,
      );
      await s.page.getByText(`There is no pod no-such-pod in project ${stray}.`).waitFor({ timeout: 30_000 });
    });
  });
});
