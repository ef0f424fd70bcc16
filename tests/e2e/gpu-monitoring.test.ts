// The gpu-monitoring pages in the real console against the sandbox (real Prometheus fed by the simulator): the
// cluster dashboard shows the numbers the API returned for the same moment (and a direct API call agrees), a node
// link leads to that node's page, the GPU-hours report downloads the API's CSV with the user's session, and with a
// Prometheus nothing answers on, the dashboard says so with its URL instead of drawing empty charts.
// Needs the sandbox (`npm run sandbox -- up`) and the bundles (`npm run build`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { GpuNodeList, GpuSummary } from '@ks-gpu-ml/contracts';
import { freePort } from '../../console/run.js';
import { withSession } from './harness.js';
import { startStack, type Stack } from './stack.js';

const API = '/clusters/host/kapis/gpu-monitoring.ks-gpu-ml.io/v1alpha1';
const DASHBOARD = '/clusters/host/gpu-monitoring';
const KEYS = ['devices', 'allocated', 'busy', 'idleAllocated'] as const;

describe('gpu-monitoring pages against the sandbox Prometheus', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ extensions: ['gpu-monitoring'] });
  });
  after(async () => {
    await stack?.close();
  });

  test('the cluster dashboard shows the API’s numbers; a node link opens the node page', async () => {
    await withSession(
      'gpu-monitoring-dashboard',
      { consoleUrl: stack.consoleUrl, user: 'admin' },
      async (s) => {
        const { page } = s;
        // What the page itself received: the numbers for the moment it shows.
        const summaryAnswer = page.waitForResponse((r) => r.url().includes(`${API}/gpusummary`), {
          timeout: 60_000,
        });
        const nodesAnswer = page.waitForResponse((r) => r.url().includes(`${API}/gpunodes`), {
          timeout: 60_000,
        });
        await page.goto(`${stack.consoleUrl}${DASHBOARD}`);
        const summary = (await (await summaryAnswer).json()) as GpuSummary;
        const nodes = (await (await nodesAnswer).json()) as GpuNodeList;
        assert.ok(summary.totals.devices > 0, 'the simulator reports GPUs');

        const cards = page.locator(`[data-testid="summary-cards"][data-time="${summary.time}"]`);
        await cards.waitFor({ timeout: 60_000 });
        for (const key of KEYS) {
          const figure = cards.locator(`[data-testid="figure"][data-key="${key}"]`);
          assert.equal(await figure.getAttribute('data-value'), String(summary.totals[key]), key);
          assert.equal(
            await figure.locator('.value').innerText(),
            String(summary.totals[key]),
            `${key} text`,
          );
        }

        // The slow-path hint shows exactly when the API says the recording rules were not used.
        assert.equal(
          await cards.locator('[data-testid="raw-series-note"]').count(),
          summary.labels.recordingRules ? 0 : 1,
        );

        // A direct call (same session, same API) agrees on what does not move while nothing is scheduled.
        const direct = await page.request.get(`${stack.consoleUrl}${API}/gpusummary`);
        assert.equal(direct.status(), 200);
        const now = (await direct.json()) as GpuSummary;
        assert.equal(now.totals.devices, summary.totals.devices);
        assert.equal(now.models.length, summary.models.length);

        // The by-model table has one row per model, the nodes table one row per node (first page of 10).
        assert.equal(
          await page.locator('[data-testid="models-table"] tbody tr').count(),
          summary.models.length,
        );
        const nodeLinks = page.locator('[data-testid="nodes-table"] [data-testid="node-link"]');
        await nodeLinks.first().waitFor({ timeout: 30_000 });
        assert.equal(await nodeLinks.count(), Math.min(10, nodes.items.length));
        const shown = await nodeLinks.allInnerTexts();
        const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
        assert.deepEqual(
          shown,
          nodes.items
            .map((n) => n.node)
            .sort(natural.compare)
            .slice(0, 10),
        );

        // Both charts drew series (not an empty or error state).
        await page.locator('[data-testid="cluster-chart"] [data-testid="time-series-chart"]').waitFor({
          timeout: 30_000,
        });
        await page.locator('[data-testid="node-chart"] [data-testid="time-series-chart"]').waitFor();
        await s.screenshot('gpu-monitoring-dashboard-en');

        // Into a node: its page lists its GPU cards.
        const busiest = nodes.items
          .filter((n) => shown.includes(n.node))
          .sort((a, b) => b.devices - a.devices)[0]!;
        await nodeLinks.filter({ hasText: new RegExp(`^${busiest.node}$`) }).click();
        await page.waitForURL(`**${DASHBOARD}/nodes/${busiest.node}`);
        const gpuRows = page.locator('[data-testid="gpu-node-page"] [data-testid="gpu-table"] tbody tr');
        await gpuRows.first().waitFor({ timeout: 60_000 });
        assert.equal(await gpuRows.count(), Math.min(10, busiest.devices));
        const devices = page.locator('[data-testid="figure"][data-key="devices"]');
        assert.equal(await devices.getAttribute('data-value'), String(busiest.devices));
        await s.screenshot('gpu-monitoring-node-en');
      },
    );
  });

  test('the dashboard in Chinese', async () => {
    await withSession(
      'gpu-monitoring-dashboard-zh',
      { consoleUrl: stack.consoleUrl, user: 'admin', locale: 'zh-CN' },
      async (s) => {
        await s.page.goto(`${stack.consoleUrl}${DASHBOARD}`);
        await s.page.locator('[data-testid="summary-cards"]').waitFor({ timeout: 60_000 });
        assert.equal(await s.page.locator('[data-testid="page-header"] h1').innerText(), 'GPU 监控');
        const text = await s.page.locator('[data-testid="cluster-dashboard"]').innerText();
        assert.match(text, /已分配但空闲/);
        assert.match(text, /GPU 节点/);
        await s.page.locator('[data-testid="cluster-chart"] [data-testid="time-series-chart"]').waitFor({
          timeout: 30_000,
        });
        await s.screenshot('gpu-monitoring-dashboard-zh');
      },
    );
  });

  test('the GPU-hours report downloads the API’s CSV with the user’s session', async () => {
    await withSession(
      'gpu-monitoring-gpuhours',
      { consoleUrl: stack.consoleUrl, user: 'admin' },
      async (s) => {
        const { page } = s;
        await page.goto(`${stack.consoleUrl}${DASHBOARD}`);
        await page.locator('[data-testid="gpuhours-link"]').click();
        await page.waitForURL(`**${DASHBOARD}/gpuhours`);
        await page.locator('[data-testid="hours-report"]').waitFor({ timeout: 60_000 });
        const csvRequest = page.waitForRequest((r) => r.url().includes('format=csv'));
        const download = page.waitForEvent('download');
        await page.locator('[data-testid="hours-download"]').click();
        const url = (await csvRequest).url();
        const file = await (await download).path();
        const saved = readFileSync(file, 'utf8');
        // The same URL fetched directly gives the same file.
        const direct = await page.request.get(url);
        assert.equal(direct.status(), 200);
        assert.match(direct.headers()['content-type'] ?? '', /text\/csv/);
        assert.equal(saved, await direct.text());
        assert.ok(saved.split('\n')[0]!.length > 0, 'a header line');
        assert.match((await download).suggestedFilename(), /^gpu-hours-cluster-host-workspace-.*\.csv$/);
        await s.screenshot('gpu-monitoring-gpuhours-en');
      },
    );
  });
});

describe('gpu-monitoring with an unreachable Prometheus', () => {
  let stack: Stack;
  let prometheusUrl: string;
  before(async () => {
    // A loopback port nothing listens on.
    prometheusUrl = `http://127.0.0.1:${await freePort()}`;
    stack = await startStack({
      extensions: ['gpu-monitoring'],
      backendEnv: { PROMETHEUS_URL: prometheusUrl },
    });
  });
  after(async () => {
    await stack?.close();
  });

  test('the dashboard shows the API’s message naming the Prometheus URL, not an empty chart', async () => {
    await withSession(
      'gpu-monitoring-unreachable',
      { consoleUrl: stack.consoleUrl, user: 'admin' },
      async (s) => {
        // The failing calls are the point of this test.
        s.expect(/^5\d\d GET \/clusters\/host\/kapis\/gpu-monitoring\.ks-gpu-ml\.io\//);
        await s.page.goto(`${stack.consoleUrl}${DASHBOARD}`);
        const error = s.page.locator('[data-testid="cluster-dashboard"] [data-testid="state-error"]');
        await error.waitFor({ timeout: 60_000 });
        const message = await error.locator('[data-testid="state-error-message"]').innerText();
        assert.ok(message.includes(prometheusUrl), `the message names ${prometheusUrl}: "${message}"`);
        assert.equal(await s.page.locator('[data-testid="summary-cards"]').count(), 0);
        assert.equal(await s.page.locator('[data-testid="time-series-chart"]').count(), 0);
        await s.screenshot('gpu-monitoring-unreachable-en');
      },
    );
  });
});
