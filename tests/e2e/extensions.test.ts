// The extensions in the real KubeSphere console (production build) against the sandbox: each menu entry appears
// for the users allowed to see it and not for others, and each landing page renders the backend's data, in
// English and in Chinese. Needs the sandbox (`npm run sandbox -- up`) and the bundles (`npm run build`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ROUTE_TABLE, groupOf } from '@ks-gpu-ml/contracts';
import { chartDir, helm } from '../charts/helm.js';
import { readSandboxEnv } from '../sandbox/src/env.js';
import { createTestNamespace } from '../sandbox/src/testing.js';
import { withSession } from './harness.js';
import { applyRoleTemplates, startStack, type Stack } from './stack.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.close();
});

const MENU = {
  'gpu-quota': { en: 'GPU Quotas', zh: 'GPU 配额' },
  'gpu-monitoring': { en: 'GPU Monitoring', zh: 'GPU 监控' },
  'cmdb-alerting': { en: 'CMDB Alerting', zh: 'CMDB 告警' },
  'ml-apps': { en: 'ML Apps', zh: '机器学习应用' },
} as const;
type Feature = keyof typeof MENU;

const LANDING: Record<Feature, string> = {
  'gpu-quota': '/clusters/host/gpu-quota',
  'gpu-monitoring': '/clusters/host/gpu-monitoring',
  'cmdb-alerting': '/workspaces/ws-alpha/cmdb-alerting',
  'ml-apps': '/workspaces/ws-alpha/ml-apps',
};

/** The side navigation's entries (their link targets), once the layout has rendered its navigation. */
async function navLinks(page: Page): Promise<string[]> {
  return page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
}

async function hasNavEntry(page: Page, base: string, feature: Feature): Promise<boolean> {
  const href = `${base}/${feature}`;
  return (await navLinks(page)).some((h) => h === href || h.endsWith(href));
}

interface MenuCase {
  user: string;
  base: string;
  /** A nav entry every user of this case sees, to know the navigation has rendered. */
  anchor: string;
  shows: Feature[];
  hides: Feature[];
  /** API errors this user gets from the console's own pages (not ours). */
  expect?: RegExp[];
}

// Each case opens one of our landing pages (the layout's navigation is around it) and checks the menu.
const menuCases: MenuCase[] = [
  {
    user: 'admin',
    base: '/clusters/host',
    anchor: 'Nodes',
    shows: ['gpu-quota', 'gpu-monitoring'],
    hides: [],
  },
  {
    user: 'admin',
    base: '/workspaces/ws-alpha',
    anchor: 'Projects',
    shows: ['ml-apps', 'cmdb-alerting'],
    hides: [],
  },
  {
    user: 'ws-admin',
    base: '/workspaces/ws-alpha',
    anchor: 'Projects',
    shows: ['ml-apps', 'cmdb-alerting'],
    hides: [],
  },
  {
    user: 'alice',
    base: '/workspaces/ws-alpha',
    anchor: 'ML Apps',
    shows: ['ml-apps'],
    hides: ['cmdb-alerting'],
  },
];

describe('menu entries follow the user’s permissions', () => {
  for (const c of menuCases) {
    test(`${c.user} at ${c.base}: shows ${c.shows.join(', ') || 'none'}; hides ${c.hides.join(', ') || 'none'}`, async () => {
      await withSession(
        `menu-${c.user}-${c.base}`,
        { consoleUrl: stack.consoleUrl, user: c.user },
        async (s) => {
          for (const re of c.expect ?? []) s.expect(re);
          await s.page.goto(`${stack.consoleUrl}${c.base}/${c.shows[0]}`);
          await s.page.getByText(c.anchor, { exact: true }).first().waitFor({ timeout: 60_000 });
          for (const f of c.shows) {
            await s.page.getByText(MENU[f].en, { exact: true }).first().waitFor({ timeout: 15_000 });
            // The page's own title may carry the same words (alice's anchor is one): wait for the navigation's
            // link itself, which comes once the console has read the user's rights, then say what is missing.
            const link = s.page.locator(`a[href$="${c.base}/${f}"]`).first();
            await link.waitFor({ timeout: 30_000 }).catch(() => undefined);
            assert.ok(
              await hasNavEntry(s.page, c.base, f),
              `${c.user} should have a nav link to ${c.base}/${f}`,
            );
          }
          for (const f of c.hides) {
            assert.equal(
              await s.page.getByText(MENU[f].en, { exact: true }).count(),
              0,
              `${c.user} must not see ${f}`,
            );
            assert.ok(!(await hasNavEntry(s.page, c.base, f)), `${c.user} must not have a nav link to ${f}`);
          }
          await s.screenshot(`menu-${c.user}-${c.base.split('/').slice(1).join('-')}`);
        },
      );
    });
  }

  test('a user without cluster permissions sees no cluster menu entry of ours', async () => {
    await withSession(
      'menu-ws-admin-cluster',
      { consoleUrl: stack.consoleUrl, user: 'ws-admin' },
      async (s) => {
        // The console's own cluster pages ask for things a workspace admin may not read.
        s.expect(/ 403 /);
        await s.page.goto(`${stack.consoleUrl}/workspaces/ws-alpha/ml-apps`);
        await s.page.getByText('Projects', { exact: true }).first().waitFor({ timeout: 60_000 });
        for (const f of ['gpu-quota', 'gpu-monitoring'] as const) {
          assert.equal(await s.page.getByText(MENU[f].en, { exact: true }).count(), 0);
          assert.ok(!(await hasNavEntry(s.page, '/clusters/host', f)));
        }
      },
    );
  });
});

describe('landing pages render the backend’s data', () => {
  const cases: { feature: Feature; user: string }[] = [
    { feature: 'gpu-quota', user: 'admin' },
    { feature: 'gpu-monitoring', user: 'admin' },
    { feature: 'cmdb-alerting', user: 'ws-admin' },
    { feature: 'ml-apps', user: 'alice' },
  ];
  for (const lang of ['en', 'zh'] as const) {
    for (const { feature, user } of cases) {
      test(`${feature} as ${user} (${lang})`, async () => {
        const name = `landing-${feature}-${lang}`;
        await withSession(
          name,
          { consoleUrl: stack.consoleUrl, user, locale: lang === 'zh' ? 'zh-CN' : 'en-US' },
          async (s) => {
            await s.page.goto(`${stack.consoleUrl}${LANDING[feature]}`);
            const overview = s.page.locator(`[data-testid="platform-overview"][data-feature="${feature}"]`);
            await overview.waitFor({ timeout: 60_000 });
            // Data from the extension's own group (docs/adr/0026): the build version and the caller's capabilities
            // per project; a feature with no routes yet is served by no backend and says so.
            const group = groupOf(feature);
            const served = ROUTE_TABLE.some((r) => r.group === group);
            const status = overview.locator('[data-testid="feature-status"]');
            await status.waitFor();
            const title = await s.page.locator('[data-testid="page-header"] h1').innerText();
            assert.equal(title, MENU[feature][lang], 'the page title is translated');
            if (!served) {
              assert.equal(await status.getAttribute('data-enabled'), 'false');
              assert.match(await status.innerText(), new RegExp(group.replace(/\./g, '\\.')));
              await s.screenshot(name);
              return;
            }
            await overview.locator('td', { hasText: 'capabilities' }).first().waitFor({ timeout: 30_000 });
            const text = await overview.innerText();
            assert.match(text, new RegExp(group.replace(/\./g, '\\.')));
            assert.match(text, /alpha-train/);
            if (lang === 'zh') assert.match(text, /您的权限/);
            else assert.match(text, /Your permissions/);
            await s.screenshot(name);
          },
        );
      });
    }
  }
});

// The packages as KubeSphere installs them (each one's host release: its JSBundle and the ConfigMap holding the
// script; cmdb-alerting's backend too, being HostOnly), and a console whose ks-apiserver stand-in has no built
// bundles at all: each menu entry can only come from an installed JSBundle, served from its installed ConfigMap.
describe('the console shows the menus of the installed packages', () => {
  let installed: Stack | undefined;
  const namespaces = new Map<Feature, { name: string; remove: () => Promise<void> }>();
  const helmArgs = (feature: Feature) => [
    '--namespace',
    namespaces.get(feature)!.name,
    '--kubeconfig',
    readSandboxEnv().KUBECONFIG,
  ];

  before(async () => {
    for (const feature of Object.keys(MENU) as Feature[]) {
      namespaces.set(feature, await createTestNamespace(`extension-${feature}`));
      helm([
        'install',
        feature,
        chartDir(feature),
        ...helmArgs(feature),
        // cmdb-alerting's RoleTemplates take over the fixture's copy of one (put back after).
        '--take-ownership',
        '--force-conflicts',
        '--set',
        'tags.extension=true',
        '--set',
        'tags.agent=false',
      ]);
    }
    installed = await startStack({ extensions: [] });
  });
  after(async () => {
    await installed?.close();
    for (const [feature, namespace] of namespaces) {
      try {
        helm(['uninstall', feature, ...helmArgs(feature)]);
      } finally {
        await namespace.remove();
      }
    }
    applyRoleTemplates();
  });

  const cases = [
    { base: '/clusters/host', anchor: 'Nodes', features: ['gpu-quota', 'gpu-monitoring'] as Feature[] },
    { base: '/workspaces/ws-alpha', anchor: 'Projects', features: ['ml-apps', 'cmdb-alerting'] as Feature[] },
  ];
  for (const { base, anchor, features } of cases) {
    test(`admin at ${base} sees ${features.join(' and ')} from their installed JSBundles`, async () => {
      const name = `menu-installed-${base.split('/')[1]}`;
      await withSession(name, { consoleUrl: installed!.consoleUrl, user: 'admin' }, async (s) => {
        // The landing page behind the menu asks each project's capabilities; on a loaded shared sandbox some of
        // those calls time out. That page is the landing-page tests' subject; this test's is the menu.
        s.expect(/^5\d\d GET \/kapis\/[^/]+\/v1alpha1\/namespaces\/[^/]+\/capabilities/);
        await s.page.goto(`${installed!.consoleUrl}${base}/${features[0]}`);
        await s.page.getByText(anchor, { exact: true }).first().waitFor({ timeout: 60_000 });
        for (const feature of features) {
          await s.page.getByText(MENU[feature].en, { exact: true }).first().waitFor({ timeout: 15_000 });
          assert.ok(await hasNavEntry(s.page, base, feature), `a nav link to ${base}/${feature}`);
          // The script came from the cluster: the stand-in served the installed bundle's link from its ConfigMap.
          assert.ok(
            installed!.shimLog.some((line) => line.startsWith(`200 GET /dist/${feature}/index.js`)),
            `the stand-in served /dist/${feature}/index.js (${installed!.shimLog.filter((l) => l.includes('/dist/')).join('; ')})`,
          );
        }
        await s.screenshot(name);
      });
    });
  }
});
