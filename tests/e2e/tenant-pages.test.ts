// Tenants find their pages in the real console against the sandbox (docs/adr/0020): a project member reaches its
// project's GPU quota and GPU usage pages by clicking from the workspace menu and sees only its own project; a
// project member or viewer on a workspace GPU-hours page is offered no Download CSV, and no request of the page is
// refused. Needs the sandbox (`npm run sandbox -- up`) and the bundles (`npm run build`).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UI_IDS } from '../../extensions/ui/src/test-ids.js';
import { HOURS_IDS } from '../../extensions/gpu-monitoring/src/test-ids.js';
import { QUOTA_IDS } from '../../extensions/gpu-quota/src/test-ids.js';
import { byId, withSession, type Session } from './harness.js';
import { stackAroundTests } from './stack.js';

const stack = stackAroundTests();
const MENU = 'My GPU Projects';

/** Opens the workspace, then its "My GPU Projects" entry by clicking the side navigation. */
async function openTenantEntry(s: Session): Promise<void> {
  await s.page.goto(`${stack().consoleUrl}/workspaces/ws-alpha/ml-apps`);
  await s.page.getByText(MENU, { exact: true }).first().click({ timeout: 60_000 });
  await s.page.waitForURL('**/workspaces/ws-alpha/gpu-monitoring/my-projects', { timeout: 30_000 });
  await s.page.locator(byId(UI_IDS.tenantProjects)).waitFor({ timeout: 60_000 });
}

/** The links offered in one project's row, once its capabilities have been answered. */
const linksOf = (s: Session, project: string) =>
  s.page.locator(`${byId(UI_IDS.projectLinks)}[data-project="${project}"] ${byId(UI_IDS.projectLink)}`);

describe('a project member reaches its project pages from the workspace menu', () => {
  test('alice: My GPU Projects lists only alpha-train; its quota and usage pages open by clicking', async () => {
    await withSession('tenant-pages-alice', { consoleUrl: stack().consoleUrl, user: 'alice' }, async (s) => {
      await openTenantEntry(s);
      await s.page.locator(`${byId(UI_IDS.projectLinks)}[data-project="alpha-train"]`).waitFor();
      const table = await s.page.locator(byId(UI_IDS.dataTable)).innerText();
      assert.match(table, /alpha-train/);
      assert.doesNotMatch(table, /alpha-serve|beta-research/, 'no other project is named');
      const offered = await linksOf(s, 'alpha-train').evaluateAll((links) =>
        links.map((a) => a.getAttribute('data-extension')),
      );
      assert.deepEqual(offered, ['gpu-quota', 'gpu-monitoring', 'ml-apps']);
      await s.screenshot('tenant-pages-alice-projects');

      await linksOf(s, 'alpha-train').and(s.page.locator('[data-extension="gpu-quota"]')).click();
      await s.page.waitForURL('**/workspaces/ws-alpha/gpu-quota/projects/alpha-train');
      await s.page.locator(byId(QUOTA_IDS.rows)).waitFor({ timeout: 60_000 });
      await s.screenshot('tenant-pages-alice-quota');

      // The project's pages link to each other; nothing links to a workspace page alice may not open.
      await linksOf(s, 'alpha-train').and(s.page.locator('[data-extension="gpu-monitoring"]')).click();
      await s.page.waitForURL('**/workspaces/ws-alpha/gpu-monitoring/projects/alpha-train');
      await s.page.locator(byId('gpu-namespace-page')).waitFor({ timeout: 60_000 });
      await linksOf(s, 'alpha-train').and(s.page.locator('[data-extension="gpu-quota"]')).waitFor();
      const hrefs = await s.page
        .locator(`${byId('gpu-namespace-page')} a[href]`)
        .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      for (const refused of ['/workspaces/ws-alpha/gpu-monitoring', '/workspaces/ws-alpha/gpu-quota']) {
        assert.ok(!hrefs.includes(refused), `no link to ${refused}: ${hrefs.join(', ')}`);
      }
      await s.screenshot('tenant-pages-alice-usage');
    });
  });
  test('in Chinese: the entry and its page speak zh', async () => {
    await withSession(
      'tenant-pages-alice-zh',
      { consoleUrl: stack().consoleUrl, user: 'alice', locale: 'zh-CN' },
      async (s) => {
        await s.page.goto(`${stack().consoleUrl}/workspaces/ws-alpha/ml-apps`);
        await s.page.getByText('我的 GPU 项目', { exact: true }).first().click({ timeout: 60_000 });
        await s.page
          .locator(`${byId(UI_IDS.projectLinks)}[data-project="alpha-train"]`)
          .waitFor({ timeout: 60_000 });
        assert.deepEqual(await linksOf(s, 'alpha-train').allInnerTexts(), [
          'GPU 配额',
          'GPU 用量',
          'Notebook',
        ]);
        await s.screenshot('tenant-pages-alice-zh');
      },
    );
  });
});

describe('no Download CSV for a caller the API would refuse', () => {
  for (const user of ['alice', 'viewer']) {
    test(`${user} on ws-alpha's GPU-hours page is told so, without a refused request`, async () => {
      await withSession(`tenant-pages-hours-${user}`, { consoleUrl: stack().consoleUrl, user }, async (s) => {
        await s.page.goto(`${stack().consoleUrl}/workspaces/ws-alpha/gpu-monitoring/gpuhours`);
        await s.page.locator(byId(HOURS_IDS.notAllowed)).waitFor({ timeout: 60_000 });
        assert.equal(await s.page.locator(byId(HOURS_IDS.download)).count(), 0, 'no Download CSV');
        assert.equal(await s.page.locator(byId(HOURS_IDS.report)).count(), 0, 'no report');
        await s.screenshot(`tenant-pages-hours-${user}`);
        // withSession fails the test on any 4xx the page met (a refused report would be one).
      });
    });
  }
});
