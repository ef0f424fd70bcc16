// CMDB Alerting in the real console against the sandbox, as a workspace admin uses it: ws-admin opens CMDB Alerting
// from the workspace menu, adds a WeCom robot receiver whose key is a Secret reference (never a value) and an
// escalation policy that sends this test's alerts to it; an alert posted through the backend's Alertmanager
// webhook intake (the sandbox's intake token) escalates by that policy; ws-admin opens it by its key, sees it
// escalating, acknowledges it and sees their name; a platform admin then sees it acknowledged in the cluster's
// list, silences it from its row in the sandbox's Alertmanager and expires the silence. On the way: "Send test" on
// the receiver, the workspace's alert list, the alert's delivery trail and a retried dead letter (ADR 0044). Screenshot
// docs/images/console-cmdb-alerting.png. Needs the sandbox (`npm run sandbox -- up`) and the
// bundles (`npm run build`). The stack's backend has its own fresh store, so nothing is left in the sandbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cmdbAlertingRoutes as routes, urlFor } from '@ks-gpu-ml/contracts';
import { ALERTING_IDS } from '../../extensions/cmdb-alerting/src/test-ids.js';
import { repoRoot } from '../sandbox/src/env.js';
import { uniqueName } from '../sandbox/src/testing.js';
import { waitFor } from '../sandbox/src/wait.js';
import { withSession } from './harness.js';
import { alertIntakeEnv, fireAlert, startStack, type Stack } from './stack.js';

let stack: Stack;
before(async () => {
  stack = await startStack({ backendEnv: alertIntakeEnv() });
});
after(async () => {
  await stack?.close();
});

const byId = (id: string) => `[data-testid="${id}"]`;
const SCREENSHOT = join(repoRoot, 'docs/images/console-cmdb-alerting.png');

describe('CMDB Alerting in the console', () => {
  test('ws-admin adds a receiver and a policy, then acknowledges an alert it escalates', async () => {
    const run = uniqueName('e2e');
    const receiver = `${run}-robot`;
    const policy = `${run}-policy`;
    let alertKey = '';
    await withSession('cmdb-alerting', { consoleUrl: stack.consoleUrl, user: 'ws-admin' }, async (s) => {
      // Our landings' overviews ask each project's capabilities; a project another test makes in ws-alpha meanwhile
      // has no sandbox RBAC for ws-admin (403), which is not these pages' concern.
      s.expect(
        /^403 GET \/kapis\/[a-z-]+\.ks-gpu-ml\.io\/v1alpha1\/namespaces\/(?!alpha-)[^/]+\/capabilities$/,
      );
      // From another of our workspace pages, through the workspace menu (the README's "workspace → CMDB Alerting").
      await s.page.goto(`${stack.consoleUrl}/workspaces/ws-alpha/ml-apps`);
      await s.page.getByText('CMDB Alerting', { exact: true }).first().click({ timeout: 60_000 });
      await s.page.waitForURL('**/workspaces/ws-alpha/cmdb-alerting');
      await s.page.locator(byId(ALERTING_IDS.tab('receivers'))).click({ timeout: 60_000 });

      await s.page.locator(byId(ALERTING_IDS.newReceiver)).click({ timeout: 60_000 });
      await s.page.getByLabel('Name', { exact: true }).fill(receiver);
      await s.page.getByLabel('Type', { exact: true }).selectOption('wecom-robot');
      await s.page.getByLabel("Robot webhook key: Secret's project").fill('alpha-train');
      await s.page.getByLabel("Robot webhook key: Secret's name").fill('wecom-robot');
      await s.page.getByLabel('Robot webhook key: key in the Secret').fill('key');
      await s.page.locator(byId(ALERTING_IDS.submit)).click();
      const row = s.page.locator('tr', {
        has: s.page.locator(byId(ALERTING_IDS.receiverRow), { hasText: receiver }),
      });
      await row.waitFor({ timeout: 30_000 });
      assert.match(await row.innerText(), /alpha-train\/wecom-robot\[key\]/);
      // Send test through its real channel: the sandbox has no Secret alpha-train/wecom-robot, and the answer says so.
      await row.locator(byId(ALERTING_IDS.testReceiver)).click();
      const tested = row.locator(byId(ALERTING_IDS.receiverTestResult));
      await tested.getByText('Failed').waitFor({ timeout: 30_000 });
      assert.match(await tested.innerText(), /wecom-robot/);

      await s.page.locator(byId(ALERTING_IDS.tab('policies'))).click();
      await s.page.locator(byId(ALERTING_IDS.newPolicy)).click({ timeout: 60_000 });
      await s.page.getByLabel('Name', { exact: true }).fill(policy);
      await s.page.getByLabel('Alerts with labels').fill(`run=${run}`);
      await s.page.getByLabel('Step 1: receivers').fill(receiver);
      await s.page.getByLabel('then wait (minutes)').fill('30');
      // A second step, so the alert stays escalating (after its last step an escalation is "exhausted").
      await s.page.locator(byId(ALERTING_IDS.addStep)).click();
      await s.page.getByLabel('Step 2: receivers').fill(receiver);
      await s.page.locator(byId(ALERTING_IDS.submit)).click();
      await s.page.locator(byId(ALERTING_IDS.policyRow), { hasText: policy }).waitFor({ timeout: 30_000 });

      alertKey = await fireAlert(stack, {
        alertname: 'E2eCrashLooping',
        severity: 'critical',
        namespace: 'alpha-train',
        pod: `${run}-0`,
        run,
      });
      // Asked through the console as the signed-in user (the browser's session), until the engine has started it.
      const url = urlFor(routes.getWorkspaceAlertEscalation, { workspace: 'ws-alpha', name: alertKey });
      let last = '';
      await waitFor(
        'the alert escalates by the workspace policy',
        async () => {
          const res = await s.page.request.get(stack.consoleUrl + url, {
            headers: { 'x-ignore-error-notify': 'true' },
          });
          last = `${res.status()} ${await res.text()}`;
          return res.status() === 200;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; last answer: ${last.slice(0, 500)}`);
      });
      s.expect(/^404 GET \/kapis\/cmdb-alerting\.ks-gpu-ml\.io\/.*\/escalation/);

      await s.page.locator(byId(ALERTING_IDS.tab('alerts'))).click();
      // The workspace's own alerts are listed (ADR 0044); the key opens the same page.
      await s.page
        .locator(byId(ALERTING_IDS.workspaceAlertRow), { hasText: 'E2eCrashLooping' })
        .first()
        .waitFor({ timeout: 30_000 });
      await s.page.getByLabel('Alert key').fill(alertKey);
      await s.page.locator(byId(ALERTING_IDS.alertLookupGo)).click();
      await s.page.waitForURL(`**/workspaces/ws-alpha/cmdb-alerting/alerts/${alertKey}`);
      const state = s.page.locator(byId(ALERTING_IDS.escalationState));
      await state.getByText('Escalating').waitFor({ timeout: 30_000 });
      const steps = s.page.locator(byId(ALERTING_IDS.timelineStep));
      await steps.first().getByText('Sent').waitFor({ timeout: 30_000 });
      assert.match(await steps.nth(1).innerText(), /Next.*step 2.*due /);
      assert.match(await s.page.locator(byId(ALERTING_IDS.timeline)).innerText(), new RegExp(receiver));

      await s.page.locator(byId(ALERTING_IDS.acknowledge)).click();
      await state.getByText('Acknowledged').waitFor({ timeout: 30_000 });
      assert.equal(await s.page.locator(byId(ALERTING_IDS.acknowledgedBy)).innerText(), 'ws-admin');
      assert.equal(await s.page.locator(byId(ALERTING_IDS.acknowledge)).count(), 0);
      await s.page.screenshot({ path: SCREENSHOT, fullPage: true });

      // Its delivery trail: the robot's attempt failed naming the missing Secret, so it is a dead letter, which the
      // workspace's admin retries from the Dead letters page.
      const trail = s.page.locator(byId(ALERTING_IDS.deliveryTrail));
      await trail.getByText('Failed').first().waitFor({ timeout: 30_000 });
      assert.match(await trail.innerText(), new RegExp(`ws-alpha/${receiver}[\\s\\S]*WeCom group robot`));
      await s.page.locator(byId(ALERTING_IDS.tab('deadletters'))).click();
      const dead = s.page.locator('tr', {
        has: s.page.locator(byId(ALERTING_IDS.deadLetterRow), { hasText: receiver }),
      });
      await dead.first().waitFor({ timeout: 30_000 });
      await dead.first().locator(byId(ALERTING_IDS.retryDeadLetter)).click();
      await s.page.locator(byId(ALERTING_IDS.confirm)).click();
      await s.page.locator(byId(ALERTING_IDS.deadLettersPage)).waitFor();
      assert.equal(await s.page.locator(byId(ALERTING_IDS.actionError)).count(), 0, 'the retry was accepted');
    });

    await withSession('cmdb-alerting-cluster', { consoleUrl: stack.consoleUrl, user: 'admin' }, async (s) => {
      await s.page.goto(`${stack.consoleUrl}/clusters/host/cmdb-alerting`);
      const row = s.page.locator('tr', {
        has: s.page.locator(byId(ALERTING_IDS.alertRow), { hasText: 'E2eCrashLooping' }),
      });
      await row.first().getByText('ws-admin').waitFor({ timeout: 60_000 });
      const text = await row.first().innerText();
      assert.match(text, /critical/);
      assert.match(text, /Firing/);
      assert.match(text, /alpha-train/);
      assert.match(text, /Acknowledged/);
      await s.screenshot('cmdb-alerting-cluster');

      // Silence it from its row (the sandbox's real Alertmanager pair), then expire the silence again.
      await row.first().locator(byId(ALERTING_IDS.silenceAlert)).click();
      await s.page.waitForURL('**/clusters/host/cmdb-alerting/silences?**');
      assert.match(await s.page.getByLabel('Matchers').inputValue(), /alertname="E2eCrashLooping"/);
      await s.page.getByLabel('Matchers').fill(`run="${run}"`);
      await s.page.getByLabel('Comment').fill(`e2e ${run}`);
      await s.page.locator(byId(ALERTING_IDS.submit)).click();
      const silence = s.page.locator('tr', {
        has: s.page.locator(byId(ALERTING_IDS.silenceRow), { hasText: `run="${run}"` }),
      });
      await silence.getByText('Active').waitFor({ timeout: 30_000 });
      assert.match(await silence.innerText(), new RegExp(`admin[\\s\\S]*e2e ${run}`));
      await silence.locator(byId(ALERTING_IDS.expireSilence)).click();
      await s.page.locator(byId(ALERTING_IDS.confirm)).click();
      await silence.getByText('Expired').waitFor({ timeout: 30_000 });
    });
  });
});
