// Routing by business in the real console against the sandbox, as a platform admin sets it up (issue 15, ADRs 0042
// and 0043): the CMDB connection page points the backend at a CMDB stand-in (NetBox, its token in a Kubernetes
// Secret) and "test connection" shows what the stand-in really answers — the system, importance and owners of a
// project, then, with the stand-in switched to answering 500, its status and its own words; a routing policy for
// the project's business system with a time window, receivers and an escalation policy is created, listed, edited
// and finally deleted; an alert on the project's pod (posted through the backend's Alertmanager webhook intake) is
// routed by it, is listed under its system on the Business systems page and opens on its detail page with the
// business card (system, importance, owners, and the source and rule behind each). On the way the system is
// silenced from the Business systems page (expanded to a silence on its namespace in the sandbox's real
// Alertmanager, listed) and the silence expired. Screenshots of each page (1440x900) in screenshots/, the routing
// page's in docs/images/console-cmdb-routing.png.
//
// The CMDB stand-in runs in this process (tests/sandbox/stand-ins/cmdb, the sandbox's own code and estate) rather
// than the sandbox's shared one: switching NetBox to a fault there would break other engineers' tests running at
// the same time. Needs the sandbox (`npm run sandbox -- up`) and the bundles (`npm run build`); its namespace and
// the stack's fresh store are removed after.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Locator } from 'playwright-core';
import { ALERTING_IDS } from '../../extensions/cmdb-alerting/src/test-ids.js';
import { ROUTING_IDS } from '../../extensions/cmdb-alerting/src/routing-test-ids.js';
import { repoRoot } from '../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace, uniqueName } from '../sandbox/src/testing.js';
import { waitFor } from '../sandbox/src/wait.js';
import { startCmdbStandIn, type RunningCmdbStandIn } from '../integration/cmdb-alerting/cmdb-stand-in.js';
import { deployOnePod } from '../integration/cmdb-alerting/workloads.js';
import { CmdbState, standInCredentials } from '../sandbox/stand-ins/cmdb/state.js';
import { SCREENSHOTS, withSession, type Session } from './harness.js';
import { alertIntakeEnv, fireAlert, startStack, type Stack } from './stack.js';

const core = adminKubeConfig().makeApiClient(CoreV1Api);
const byId = (id: string) => `[data-testid="${id}"]`;
const run = uniqueName('biz');
const system = `payments-${run}`;
const owner = `${system}-owner`;
const receiver = `${run}-robot`;
const escalation = `${run}-oncall`;
const routing = `${run}-route`;
/** The routing page as the extension's README shows it. */
const ROUTING_SCREENSHOT = join(repoRoot, 'docs/images/console-cmdb-routing.png');

const cmdbState = new CmdbState();
let cmdb: RunningCmdbStandIn | undefined;
let cmdbUrl = '';
let stack: Stack;
let project: { name: string; remove: () => Promise<void> };
let pod = '';

before(async () => {
  cmdb = await startCmdbStandIn(cmdbState);
  cmdbUrl = cmdb.url;
  project = await createTestNamespace('biz');
  // The CMDB knows the project as the namespace of the business system; nothing in the cluster labels it.
  cmdbState.upsertSystem({ name: system, importance: 'P1', namespaces: [project.name] });
  await core.createNamespacedSecret({
    namespace: project.name,
    body: { metadata: { name: 'cmdb' }, stringData: { token: standInCredentials.netboxToken } },
  });
  pod = await deployOnePod(project.name, 'api', {});
  stack = await startStack({ backendEnv: alertIntakeEnv() });
});
after(async () => {
  await stack?.close();
  await cmdb?.stop();
  await project?.remove();
});

/** What a user sees at 1440x900, scrolled to `at`: screenshots/<name>.png (or `path`). */
async function shot(s: Session, name: string, at?: Locator, path?: string): Promise<void> {
  await at?.scrollIntoViewIfNeeded();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await s.page.screenshot({ path: path ?? join(SCREENSHOTS, `${name}.png`) });
}

const tab = (s: Session, section: string) => s.page.locator(byId(ALERTING_IDS.tab(section))).click();
const submit = (s: Session) => s.page.locator(byId(ALERTING_IDS.submit)).click();

/** The cluster's receiver and a two-step escalation policy (so the routed alert stays escalating). */
async function receiverAndPolicy(s: Session): Promise<void> {
  await tab(s, 'receivers');
  await s.page.locator(byId(ALERTING_IDS.newReceiver)).click({ timeout: 60_000 });
  await s.page.getByLabel('Name', { exact: true }).fill(receiver);
  await s.page.getByLabel('Type', { exact: true }).selectOption('wecom-robot');
  await s.page.getByLabel("Robot webhook key: Secret's project").fill(project.name);
  await s.page.getByLabel("Robot webhook key: Secret's name").fill('wecom-robot');
  await s.page.getByLabel('Robot webhook key: key in the Secret').fill('key');
  await submit(s);
  await s.page.locator(byId(ALERTING_IDS.receiverRow), { hasText: receiver }).waitFor({ timeout: 30_000 });

  await tab(s, 'policies');
  await s.page.locator(byId(ALERTING_IDS.newPolicy)).click({ timeout: 60_000 });
  await s.page.getByLabel('Name', { exact: true }).fill(escalation);
  await s.page.getByLabel('Alerts with labels').fill(`run=${run}`);
  await s.page.getByLabel('Step 1: receivers').fill(receiver);
  await s.page.getByLabel('then wait (minutes)').fill('30');
  await s.page.locator(byId(ALERTING_IDS.addStep)).click();
  await s.page.getByLabel('Step 2: receivers').fill(receiver);
  await submit(s);
  await s.page.locator(byId(ALERTING_IDS.policyRow), { hasText: escalation }).waitFor({ timeout: 30_000 });
}

/** The CMDB connection page: fill, test (the answer, then the stand-in's 500), save. */
async function cmdbSettings(s: Session): Promise<void> {
  await tab(s, 'cmdb');
  // The stack's backend starts with a fresh store: nothing connected yet, and the page says so.
  await s.page.locator(byId(ROUTING_IDS.cmdbNone)).waitFor({ timeout: 60_000 });
  await s.page.locator('#cmdb-kind').selectOption('netbox');
  await s.page.getByLabel('URL', { exact: true }).fill(cmdbUrl);
  await s.page.getByLabel('Secret: project').fill(project.name);
  await s.page.getByLabel('Secret: name').fill('cmdb');
  await s.page.getByLabel('Secret: key').fill('token');
  await s.page.getByLabel('Answers fresh for (seconds)').fill('5');

  await s.page.locator(byId(ROUTING_IDS.testQuery)).fill(project.name);
  await s.page.locator(byId(ROUTING_IDS.testRun)).click();
  const result = s.page.locator(byId(ROUTING_IDS.testResult));
  await result.getByText(`Business system: ${system}`).waitFor({ timeout: 30_000 });
  const answered = await result.innerText();
  assert.match(answered, new RegExp(`The CMDB answered namespace ${project.name}: HTTP 200 in \\d+ ms`));
  assert.match(answered, /Importance: P1/);
  assert.match(answered, new RegExp(`Owners: ${owner} / owner / ${owner} / ${owner}@example.com`));
  assert.match(answered, /Record: /);
  await shot(s, 'cmdb-business-settings', result);

  // The stand-in's NetBox answers 500 with an HTML page: the page says so, with its status and its own words.
  cmdbState.faults.set('netbox', 'server-error');
  await s.page.locator(byId(ROUTING_IDS.testRun)).click();
  await result.getByText('The CMDB answered with a server error.').waitFor({ timeout: 30_000 });
  assert.match(
    await result.innerText(),
    new RegExp(`did not give a mapping for namespace ${project.name} \\(HTTP 500`),
  );
  assert.match(await s.page.locator(byId(ROUTING_IDS.testAnswer)).innerText(), /Server Error \(500\)/);
  await shot(s, 'cmdb-business-settings-fault', result);
  cmdbState.faults.delete('netbox');

  await submit(s);
  await s.page.locator(byId(ROUTING_IDS.cmdbSaved)).waitFor({ timeout: 30_000 });
  assert.equal(await s.page.locator(byId(ROUTING_IDS.cmdbNone)).count(), 0);
}

/** A routing policy for the system, always in its window (every day, from midnight to midnight in UTC). */
async function createRouting(s: Session): Promise<void> {
  await tab(s, 'routing');
  await s.page.locator(byId(ROUTING_IDS.newRouting)).click({ timeout: 60_000 });
  const form = s.page.locator(byId(ROUTING_IDS.routingForm));
  await form.getByLabel('Name', { exact: true }).fill(routing);
  await form.getByLabel('Business systems').fill(system);
  await form.getByLabel('Receivers notified at once').fill(receiver);
  await form.getByLabel('Then the escalation policy').fill(escalation);
  await form.getByLabel('Only at certain times').check();
  await form.getByLabel('Time zone').fill('UTC');
  for (const day of ['Sat', 'Sun']) await form.getByLabel(day, { exact: true }).check();
  await form.getByLabel('From', { exact: true }).fill('00:00');
  await form.getByLabel('Until', { exact: true }).fill('00:00');
  await shot(s, 'cmdb-business-routing-form', form);
  await submit(s);
  const row = s.page.locator('tr', {
    has: s.page.locator(byId(ROUTING_IDS.routingRow), { hasText: routing }),
  });
  await row.waitFor({ timeout: 30_000 });
  assert.match(await row.innerText(), new RegExp(`100\\s+.*${system}`));
  assert.match(await row.innerText(), /Mon Tue Wed Thu Fri Sat Sun 00:00–00:00 \(UTC\)/);
  assert.match(await row.innerText(), new RegExp(`${receiver} → ${escalation}`));

  // Edit: tried before the others now.
  await row.locator(byId(ROUTING_IDS.editRouting)).click();
  await form.getByLabel('Priority', { exact: true }).fill('5');
  await submit(s);
  await row.getByText('5', { exact: true }).waitFor({ timeout: 30_000 });
  await shot(s, 'cmdb-business-routing', row, ROUTING_SCREENSHOT);
}

describe('CMDB Alerting: routing by business in the console', () => {
  test('an admin connects the CMDB, routes a business system, and sees its alert, silence and business card', async () => {
    await withSession('cmdb-business', { consoleUrl: stack.consoleUrl, user: 'admin' }, async (s) => {
      await s.page.goto(`${stack.consoleUrl}/clusters/host/cmdb-alerting`);
      await receiverAndPolicy(s);
      await cmdbSettings(s);
      await createRouting(s);

      const alertKey = await fireAlert(stack, {
        alertname: 'E2eBusinessDown',
        severity: 'critical',
        namespace: project.name,
        pod,
        run,
      });

      // The Business systems page: the system from the CMDB, its owner, its workload and the open alert.
      await tab(s, 'businesses');
      await s.page.getByLabel('Search').fill(run);
      const systemRow = s.page.locator('tr', {
        has: s.page.locator(byId(ALERTING_IDS.businessSystemRow), { hasText: system }),
      });
      await systemRow.waitFor({ timeout: 60_000 });
      assert.match(
        await systemRow.innerText(),
        new RegExp(`P1\\s+${owner}[\\s\\S]*Deployment ${project.name}/api`),
      );
      const openAlert = systemRow
        .locator(byId(ALERTING_IDS.businessSystemAlerts))
        .getByText('E2eBusinessDown');
      await waitFor(
        'the routed alert listed under its system',
        async () => {
          if (await openAlert.count()) return true;
          await s.page.reload();
          await s.page.getByLabel('Search').fill(run);
          await systemRow.waitFor({ timeout: 30_000 });
          return (await openAlert.count()) > 0;
        },
        { timeoutMs: 60_000, intervalMs: 2_000 },
      );

      // Silence the system: one Alertmanager silence on its namespace, which it owns whole; then expire it.
      await s.page.getByLabel('Silence business system').selectOption(system);
      await s.page.locator('#bs-comment').fill(`e2e ${run}`);
      await s.page.locator(byId(ALERTING_IDS.businessSilenceCreate)).click();
      const silence = s.page.locator(byId(ALERTING_IDS.businessSilenceRow), { hasText: system });
      await silence.waitFor({ timeout: 30_000 });
      assert.match(await silence.innerText(), new RegExp(`namespace="${project.name}"`));
      assert.match(await silence.innerText(), new RegExp(`e2e ${run} \\(admin\\)`));
      await shot(s, 'cmdb-business-systems', silence);
      await silence.locator(byId(ALERTING_IDS.expireBusinessSilence)).click();
      await s.page.locator(byId(ALERTING_IDS.confirm)).click();
      await silence.waitFor({ state: 'detached', timeout: 30_000 });

      // The alert's detail, from its system's row: routed by the policy, with the business card.
      await openAlert.click();
      await s.page.waitForURL(`**/clusters/host/cmdb-alerting/alerts/${alertKey}`);
      await s.page
        .locator(byId(ALERTING_IDS.escalationState))
        .getByText('Escalating')
        .waitFor({ timeout: 30_000 });
      assert.match(
        await s.page.locator(byId(ALERTING_IDS.alertPage)).innerText(),
        new RegExp(`${routing}/${escalation}`),
      );
      // Its timeline is the chain it runs: the escalation policy's two steps, the routing policy's receiver in the first.
      const steps = s.page.locator(byId(ALERTING_IDS.timelineStep));
      await steps.first().getByText('Sent').waitFor({ timeout: 30_000 });
      assert.equal(await steps.count(), 2);
      assert.match(await steps.first().innerText(), new RegExp(receiver));
      const card = s.page.locator(byId(ALERTING_IDS.alertBusiness));
      assert.match(await card.locator(byId(ALERTING_IDS.alertImpact)).innerText(), new RegExp(system));
      const field = (name: string) => card.locator(byId(ALERTING_IDS.businessField(name))).innerText();
      assert.match(await field('system'), new RegExp(`${system}\\s+CMDB\\s+\\S`));
      assert.match(await field('importance'), /P1\s+CMDB\s+\S/);
      assert.match(await field('owners'), new RegExp(`${owner} \\(owner\\).*${owner}@example.com\\s+CMDB`));
      assert.match(
        await field('workloads'),
        new RegExp(`Pod ${project.name}/${pod} ← ReplicaSet ${project.name}/api-`),
      );
      await shot(s, 'cmdb-business-alert', card);

      // Delete the routing policy: its list no longer has it.
      await tab(s, 'routing');
      const row = s.page.locator(byId(ROUTING_IDS.routingRow), { hasText: routing });
      await row.waitFor({ timeout: 30_000 });
      await s.page.locator('tr', { has: row }).locator(byId(ROUTING_IDS.deleteRouting)).click();
      await s.page.locator(byId(ALERTING_IDS.confirm)).click();
      await row.waitFor({ state: 'detached', timeout: 30_000 });
    });
  });
});
