// Benchmark `gpu-monitoring` (issue #6): a 1,000-node × 8-GPU fleet in a sandbox of its own, the compiled backend
// with the gpu-monitoring feature in Kubernetes auth mode, and its real Prometheus (Debian 2.42).
//
// The fleet. This machine (2 shared cores) cannot keep 1,000 KWOK nodes alive: measured, 1,000 idle KWOK nodes cost
// ~1.3 cores (apiserver 45 %, Prometheus 34 %, dcgm-sim 21 %, KWOK 10 %, etcd 9 %, controller-manager 8 %) before a
// single pod. So BENCH_GM_KWOK_NODES nodes are real KWOK nodes with GPU pods placed by the real scheduler (the
// sandbox's own simulator serves their series), and the rest are metric-only nodes served by a second dcgm-exporter
// simulator (`--synthetic-nodes`: deterministic nodes, pods, namespaces and load profiles, no API objects), scraped
// by the same Prometheus as a second target of the dcgm-exporter and kube-state-metrics jobs. The output says so.
// Both halves use the same pod layout (75 % of GPUs held, 1/2/4/8-GPU pods, ~15 % of them idle). The sandbox's MIG
// and HAMi nodes stay, so the fleet is BENCH_GM_NODES 8-GPU nodes plus those two.
//
// Figures:
// - summary / table: GET …/gpusummary and GET …/gpus?limit=BENCH_GM_TABLE_LIMIT, sequential, after warm-up, each
//   request followed by the "raw" time of the same PromQL (built with the same functions of queries.ts and the label
//   scheme detected with labels.ts' probe), sent straight to Prometheus the way the backend sends them (all at
//   once, POST form, answer parsed; the table's two reads one after the other, the second for the UUIDs of the
//   page the API returned). ratio = API p50 / raw p50. The backend's PromQL answer cache is turned off
//   (PROMETHEUS_CACHE_TTL_MS=0) so every request reaches Prometheus; a cached figure is printed as a note.
// - gpuhours_7d: GET …/gpuhours for the last 7 days by namespace, median of BENCH_GM_HOURS_RUNS. Seven days of the
//   recording-rule series it reads (namespace:gpu_requested:sum, namespace:dcgm_gpus_utilized:sum, one sample per
//   minute per namespace) are backfilled with `promtool tsdb create-blocks-from openmetrics` up to the moment the
//   sandbox started; the rules themselves record from then on.
// - rss: the compiled backend's resident set after all of the above.
// - dashboard_render: the real console (tests/e2e/stack.ts: console BFF, ks-apiserver stand-in serving our built
//   bundle, backend) in headless Chromium: from navigation start to the first animation frame after the cluster
//   dashboard's "GPUs" summary card shows the API's total (a MutationObserver in the page, so the clock is the
//   page's own). Median of BENCH_GM_RENDER_RUNS reloads of a logged-in session; the backend's answer cache (5 s) is
//   let expire before each. Needs `npm run build` (extensions/gpu-monitoring/dist). Printed beside it:
//   dashboard_panels_ms, menu click to the last of every panel's first answer (the whole page, not its first figures).
//
//   BENCH_GM_NODES (default 1000) 8-GPU nodes in all; BENCH_GM_KWOK_NODES (default 100) of them KWOK nodes
//   BENCH_GM_REQUESTS (default 40) measured requests per endpoint; BENCH_GM_TABLE_LIMIT (default 100)
//   BENCH_GM_NAMESPACES (default 100) / BENCH_GM_WORKSPACES (default 20) of the metric-only fleet
//   BENCH_GM_SCRAPE_SECONDS (default 15, the dcgm-exporter chart's ServiceMonitor interval)
//   BENCH_GM_WARMUP_SECONDS (default 300) of live data from the whole fleet before measuring
//   BENCH_GM_HOURS_RUNS (default 10)
//   BENCH_GM_RENDER_RUNS (default 5); BENCH_GM_SKIP_RENDER=1 skips the browser part; BENCH_GM_RENDER_ONLY=1 measures
//   only the browser part, against the fleet of a sandbox kept by an earlier BENCH_GM_KEEP=1 run
//   The backend runs with the product's PROMETHEUS_TIMEOUT_MS (30 s); the output counts raw answers slower than that.
//   BENCH_GM_SANDBOX_DIR (default: a new temporary folder; never the shared .sandbox) and BENCH_GM_KEEP=1 keeps
//   that sandbox running afterwards (stop it with SANDBOX_DIR=<dir> npm run sandbox -- down).
import { spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import type { GpuCardList, GpuHoursReport, GpuSummary } from '@ks-gpu-ml/contracts';
import {
  detectScheme,
  SCHEME_PROBE_QUERY,
  type LabelScheme,
  type ProbeSample,
} from '../backend/src/features/gpu-monitoring/labels.js';
import {
  clusterSummaryQueries,
  gpuHoursQueries,
  gpuTablePageQueries,
} from '../backend/src/features/gpu-monitoring/queries.js';
import { RECORDED } from '../backend/src/features/gpu-monitoring/recorded.js';
import { idleOptions } from '../backend/src/features/gpu-monitoring/validate.js';
import { SyntheticCluster, syntheticLayout, syntheticProfile } from '../tests/sandbox/dcgm-sim/synthetic.js';
import { ANNOTATIONS } from '../tests/sandbox/dcgm-sim/profiles.js';
import { repoRoot, sandboxUser, type SandboxEnv } from '../tests/sandbox/src/env.js';
import { freePort } from '../tests/sandbox/src/ports.js';
import { isAlive, startProcess } from '../tests/sandbox/src/processes.js';
import { waitFor } from '../tests/sandbox/src/wait.js';
import { DCGM_EXPORTER_JOB } from '../tests/sandbox/src/monitoring.js';
import {
  percentile,
  report,
  rssMb,
  startCompiledBackend,
  stopSandbox,
  useSandbox,
  type Figure,
} from './lib.js';

const BENCH = 'gpu-monitoring';
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const totalNodes = num('BENCH_GM_NODES', 1000);
const kwokNodes = Math.min(totalNodes, num('BENCH_GM_KWOK_NODES', 100));
const syntheticNodes = totalNodes - kwokNodes;
const requests = num('BENCH_GM_REQUESTS', 40);
const tableLimit = num('BENCH_GM_TABLE_LIMIT', 100);
const namespaces = num('BENCH_GM_NAMESPACES', 100);
const workspaces = num('BENCH_GM_WORKSPACES', 20);
const scrapeSeconds = num('BENCH_GM_SCRAPE_SECONDS', 15);
const warmupSeconds = num('BENCH_GM_WARMUP_SECONDS', 300);
const hoursRuns = num('BENCH_GM_HOURS_RUNS', 10);
const renderRuns = num('BENCH_GM_RENDER_RUNS', 5);
const skipRender = process.env.BENCH_GM_SKIP_RENDER === '1';
const renderOnly = process.env.BENCH_GM_RENDER_ONLY === '1';
/** The backend's default PROMETHEUS_TIMEOUT_MS (core/config.ts): slower Prometheus answers fail with a 502. */
const DEFAULT_PROMETHEUS_TIMEOUT_MS = 30_000;
const keep = process.env.BENCH_GM_KEEP === '1';

const API = '/kapis/gpu-monitoring.ks-gpu-ml.io/v1alpha1';
/** The real pods' namespaces (KWOK part), in the sandbox's workspaces. */
const REAL_NAMESPACES = 10;
const realNamespace = (j: number) => `gm-bench-${j}`;
const DAY = 86_400;

// ---- our own sandbox ------------------------------------------------------------------------------------------

const sharedSandbox = resolve(repoRoot, '.sandbox');
const sandboxDir = resolve(
  process.env.BENCH_GM_SANDBOX_DIR ?? mkdtempSync(join(tmpdir(), 'bench-gm-sandbox-')),
);
if (sandboxDir === sharedSandbox) throw new Error('BENCH_GM_SANDBOX_DIR must not be the shared .sandbox');
// Every sandbox helper (layout, env, users, `up`/`down` run by lib.ts) reads SANDBOX_DIR at call time.
process.env.SANDBOX_DIR = sandboxDir;

/** Notes go with the figures (report prints them); progress lines only tell what is going on. */
const notes: string[] = [];
const note = (text: string) => void notes.push(text);
const progress = (text: string) => console.log(`# ${BENCH}: ${text}`);
const cleanups: (() => Promise<void> | void)[] = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        console.error(`# ${BENCH}: clean-up step failed: ${String(error)}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`# ${BENCH}: ${signal}, stopping the benchmark sandbox`);
    void cleanUp().then(() => process.exit(130));
  });
}

// ---- Prometheus ---------------------------------------------------------------------------------------------

interface PromData {
  resultType: string;
  result: ProbeSample[];
  stats?: { samples?: { totalQueryableSamples?: number; peakSamples?: number } };
}

async function promQuery(url: string, query: string, extra: Record<string, string> = {}): Promise<PromData> {
  const res = await fetch(`${url}/api/v1/query`, {
    method: 'POST',
    body: new URLSearchParams({ query, ...extra }),
  });
  const body = (await res.json()) as { status: string; data?: PromData; error?: string };
  if (body.status !== 'success' || !body.data)
    throw new Error(`Prometheus: ${body.error ?? res.status} for ${query.slice(0, 120)}`);
  return body.data;
}

const scalar = (data: PromData): number => Number(data.result[0]?.value?.[1] ?? 0);

/** The same PromQL strings, all at once, answers parsed: what the backend waits for. */
async function rawTime(url: string, queries: readonly string[]): Promise<number> {
  const t0 = performance.now();
  await Promise.all(queries.map((q) => promQuery(url, q)));
  return performance.now() - t0;
}

/** Prometheus' own gauges (its /metrics), e.g. prometheus_tsdb_blocks_loaded. */
async function promSelfMetric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

/** Sets the benchmark's scrape interval and adds the metric-only simulator as a second target of both jobs. */
async function configurePrometheus(prometheusUrl: string, target: string | undefined): Promise<void> {
  const file = join(sandboxDir, 'config/prometheus.yml');
  const config = parse(readFileSync(file, 'utf8')) as {
    global: Record<string, string>;
    scrape_configs: { job_name: string; static_configs?: { targets: string[] }[] }[];
  };
  config.global.scrape_interval = `${scrapeSeconds}s`;
  config.global.scrape_timeout = `${Math.max(1, scrapeSeconds - 1)}s`;
  for (const job of config.scrape_configs) {
    const targets = job.static_configs?.[0]?.targets;
    if (target && targets && [DCGM_EXPORTER_JOB, 'kube-state-metrics'].includes(job.job_name))
      job.static_configs![0]!.targets = [targets[0]!, target];
  }
  writeFileSync(file, stringify(config));
  const res = await fetch(`${prometheusUrl}/-/reload`, { method: 'POST' });
  if (!res.ok) throw new Error(`Prometheus reload: HTTP ${res.status} ${await res.text()}`);
}

// ---- the fleet ----------------------------------------------------------------------------------------------

/** GPUs held per namespace (with its workspace) in both halves of the fleet, for the backfill. */
function heldPerNamespace(
  synthetic: SyntheticCluster | undefined,
): Map<string, { workspace: string; gpus: number }> {
  const held = new Map<string, { workspace: string; gpus: number }>();
  const add = (namespace: string, workspace: string, gpus: number) => {
    const entry = held.get(namespace) ?? { workspace, gpus: 0 };
    entry.gpus += gpus;
    held.set(namespace, entry);
  };
  for (const ns of synthetic?.namespaces() ?? [])
    add(ns.metadata!.name!, ns.metadata!.labels!['kubesphere.io/workspace']!, 0);
  for (const pod of synthetic?.pods() ?? []) {
    const gpus = Number(pod.spec!.containers![0]!.resources!.requests!['nvidia.com/gpu']);
    add(pod.metadata!.namespace!, '', gpus);
  }
  for (const p of realPods()) add(p.namespace, p.workspace, p.gpus);
  return held;
}

function realPods(): {
  name: string;
  namespace: string;
  workspace: string;
  node: string;
  gpus: number;
  profile: string;
}[] {
  const pods = [];
  for (let i = 0; i < kwokNodes; i++) {
    for (const [slot, gpus] of syntheticLayout(i).entries()) {
      const j = (i * 31 + slot * 17) % REAL_NAMESPACES;
      pods.push({
        name: `job-${i}-${slot}`,
        namespace: realNamespace(j),
        workspace: j % 2 ? 'ws-beta' : 'ws-alpha',
        node: `gpu-node-${i}`,
        gpus,
        profile: syntheticProfile(i, slot),
      });
    }
  }
  return pods;
}

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function createRealPods(kc: KubeConfig): Promise<number> {
  const core = kc.makeApiClient(CoreV1Api);
  for (let j = 0; j < REAL_NAMESPACES; j++) {
    await core
      .createNamespace({
        body: {
          metadata: {
            name: realNamespace(j),
            labels: { bench: BENCH, 'kubesphere.io/workspace': j % 2 ? 'ws-beta' : 'ws-alpha' },
          },
        },
      })
      .catch((err: { code?: number }) => {
        if (err.code !== 409) throw err;
      });
  }
  await waitFor('default ServiceAccounts in the bench namespaces', async () => {
    const sas = await core.listServiceAccountForAllNamespaces({ fieldSelector: 'metadata.name=default' });
    const have = new Set(sas.items.map((s) => s.metadata!.namespace));
    return Array.from({ length: REAL_NAMESPACES }, (_, j) => realNamespace(j)).every((n) => have.has(n));
  });
  const pods = realPods();
  await pool(pods, 16, async (p) => {
    const body: V1Pod = {
      metadata: {
        name: p.name,
        namespace: p.namespace,
        labels: { bench: BENCH },
        annotations: { [ANNOTATIONS.profile]: p.profile },
      },
      spec: {
        nodeSelector: { 'kubernetes.io/hostname': p.node },
        containers: [
          {
            name: 'trainer',
            image: 'sandbox.local/trainer:1',
            resources: {
              requests: { cpu: String(4 * p.gpus), 'nvidia.com/gpu': String(p.gpus) },
              limits: { 'nvidia.com/gpu': String(p.gpus) },
            },
          },
        ],
      },
    };
    await core.createNamespacedPod({ namespace: p.namespace, body }).catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  });
  await waitFor(
    `${pods.length} GPU pods Running on the KWOK nodes`,
    async () => {
      const list = await core.listPodForAllNamespaces({ labelSelector: `bench=${BENCH}` });
      return list.items.filter((p) => p.status?.phase === 'Running').length >= pods.length;
    },
    { timeoutMs: 300_000 },
  );
  return pods.length;
}

// ---- 7 days of recording-rule series ------------------------------------------------------------------------

/**
 * One sample per minute for 7 days before `endSeconds` of both GPU-hours series, per namespace: the GPUs its pods
 * hold now, following a daily cycle (nights at ~40 %), and a per-namespace utilization share. One OpenMetrics file
 * per UTC day: promtool reads its whole input once per 2 h block it writes, so 7 files of a day each are ~7× less
 * work than one file; day boundaries are 2 h boundaries, so the files' blocks never overlap.
 */
async function writeOpenMetrics(
  dir: string,
  held: Map<string, { workspace: string; gpus: number }>,
  endSeconds: number,
): Promise<{ files: string[]; series: number; samples: number }> {
  const start = endSeconds - 7 * DAY;
  const entries = [...held.entries()].sort(([a], [b]) => a.localeCompare(b));
  const shape = (k: number, t: number) => 0.7 + 0.3 * Math.sin((2 * Math.PI * (t - start)) / DAY + k);
  const files: string[] = [];
  let samples = 0;
  for (let day = Math.floor(start / DAY) * DAY; day < endSeconds; day += DAY) {
    const from = Math.max(start, day);
    const to = Math.min(endSeconds, day + DAY);
    const file = join(dir, `recorded-${files.length}.om`);
    files.push(file);
    const out = createWriteStream(file);
    const write = async (text: string) => {
      if (!out.write(text)) await once(out, 'drain');
    };
    for (const [family, utilized] of [
      [RECORDED.gpuRequested, false],
      [RECORDED.gpuUtilized, true],
    ] as const) {
      await write(`# TYPE ${family} gauge\n`);
      for (const [k, [namespace, { workspace, gpus }]] of entries.entries()) {
        const labels = utilized
          ? `{namespace="${namespace}",workspace="${workspace}"}`
          : `{namespace="${namespace}",resource="nvidia_com_gpu",workspace="${workspace}"}`;
        const share = 0.3 + ((k * 37) % 60) / 100;
        const lines: string[] = [];
        for (let t = from; t < to; t += 60) {
          const requested = Math.max(1, Math.round(Math.max(gpus, 1) * shape(k, t)));
          lines.push(`${family}${labels} ${utilized ? (requested * share).toFixed(3) : requested} ${t}\n`);
        }
        samples += lines.length;
        await write(lines.join(''));
      }
    }
    await write('# EOF\n');
    out.end();
    await once(out, 'finish');
  }
  return { files, series: entries.length * 2, samples };
}

async function backfill(
  prometheusUrl: string,
  held: Map<string, { workspace: string; gpus: number }>,
  endSeconds: number,
) {
  const work = mkdtempSync(join(tmpdir(), 'bench-gm-backfill-'));
  try {
    const t0 = performance.now();
    const { files, series, samples } = await writeOpenMetrics(work, held, endSeconds);
    const blocks = join(work, 'blocks');
    for (const file of files) {
      const args = ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, blocks];
      const result = spawnSync('promtool', args, { encoding: 'utf8' });
      if (result.status !== 0)
        throw new Error(`promtool create-blocks-from openmetrics failed: ${result.stderr}`);
      rmSync(file);
    }
    const data = join(sandboxDir, 'data/prometheus');
    const made = readdirSync(blocks).filter((d) => statSync(join(blocks, d)).isDirectory());
    for (const block of made) renameSync(join(blocks, block), join(data, block));
    // Prometheus 2.42 reloads its block list once a minute (tsdb.DB.run) and then compacts the 2 h blocks.
    await waitFor(
      'backfilled blocks loaded by Prometheus',
      async () =>
        scalar(
          await promQuery(prometheusUrl, `count(${RECORDED.gpuRequested})`, {
            time: String(endSeconds - 6 * DAY),
          }),
        ) > 0,
      { timeoutMs: 180_000, intervalMs: 2000 },
    );
    let loaded = await promSelfMetric(prometheusUrl, 'prometheus_tsdb_blocks_loaded');
    await waitFor(
      'backfilled blocks compacted',
      async () => {
        const now = await promSelfMetric(prometheusUrl, 'prometheus_tsdb_blocks_loaded');
        const settled = now === loaded && now < made.length;
        loaded = now;
        return settled;
      },
      { timeoutMs: 300_000, intervalMs: 20_000 },
    ).catch(() => undefined);
    note(
      `backfilled 7 days of ${RECORDED.gpuRequested} and ${RECORDED.gpuUtilized}: ${series} series, ` +
        `${(samples / 1e6).toFixed(2)}M samples (1/min) for ${held.size} namespaces, ${made.length} blocks from promtool, ` +
        `${loaded} blocks loaded after compaction, in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ---- measuring ----------------------------------------------------------------------------------------------

async function timedGet<T>(url: string, token: string): Promise<{ ms: number; body: T }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as T;
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(body).slice(0, 400)}`);
  return { ms, body };
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

/**
 * Installed before any page script. `__gmArm()` watches for the cluster dashboard's GPUs card to carry a value and
 * records, in the page's own clock, the first animation frame after that (`__gmRendered`) and the value shown.
 */
const RENDER_PROBE = `(() => {
  const selector = '[data-testid="summary-cards"] [data-testid="figure"][data-key="devices"][data-value]';
  window.__gmArm = () => {
    window.__gmRendered = undefined;
    window.__gmDevices = undefined;
    const observer = new MutationObserver(() => {
      const el = document.querySelector(selector);
      if (!el || window.__gmDevices !== undefined) return;
      window.__gmDevices = el.getAttribute('data-value');
      observer.disconnect();
      requestAnimationFrame(() => { window.__gmRendered = performance.now(); });
    });
    observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-value'] });
  };
  window.__gmArm();
})();`;

/** In the page: arm the probe, start the clock and click the cluster menu's GPU Monitoring entry (a SPA route change). */
const CLICK_MENU = `(() => {
  const link = [...document.querySelectorAll('a[href]')].find((a) => a.getAttribute('href').endsWith('/clusters/host/gpu-monitoring'));
  if (!link) return false;
  window.__gmArm();
  window.__gmStart = performance.now();
  link.click();
  return true;
})()`;

/** When the gpusummary answer arrived, in ms after `from` (page clock). */
/**
 * When the last of the dashboard's first API answers arrived (summary, nodes, idle GPUs, projects, top-N and its two
 * charts), in ms after `from`; null until all have.
 */
const PANELS_ANSWERED = (from: string) =>
  `(() => {
  const wanted = { gpusummary: 1, gpunodes: 1, idlegpus: 1, gpuprojects: 1, gputop: 1, gpumetrics: 2 };
  const done = performance.getEntriesByType('resource').filter((r) => r.startTime >= ${from} && r.responseEnd > 0);
  let last = 0;
  for (const [name, n] of Object.entries(wanted)) {
    const hits = done.filter((r) => r.name.includes('/' + name));
    if (hits.length < n) return null;
    last = Math.max(last, ...hits.slice(0, n).map((r) => r.responseEnd));
  }
  return last - ${from};
})()`;

const SUMMARY_ARRIVED = (from: string) =>
  `(() => {
  const e = performance.getEntriesByType('resource').filter((r) => r.name.includes('/gpusummary') && r.startTime >= ${from});
  return e.length ? e[0].responseEnd - ${from} : null;
})()`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RenderResult {
  /** Menu click → data-filled summary cards (the console already loaded). */
  inApp: number[];
  /** Page load (console boot included) → data-filled summary cards; the first with a cold browser cache. */
  fullLoad: number[];
  coldLoad: number;
  summaryArrived: { inApp: number[]; fullLoad: number[] };
  /** Menu click → every panel's first answer (the page complete, not only its first figures). */
  panelsInApp: number[];
}

async function measureRender(devices: number): Promise<RenderResult | string> {
  const dist = join(repoRoot, 'extensions/gpu-monitoring/dist/index.js');
  if (!existsSync(dist)) return `not measured: ${dist} is missing (run "npm run build")`;
  progress(`dashboard: bundle ${dist} built ${statSync(dist).mtime.toISOString()}`);
  const { startStack } = await import('../tests/e2e/stack.js');
  const { openSession, login } = await import('../tests/e2e/harness.js');
  const stack = await startStack({ features: 'gpu-monitoring', extensions: ['gpu-monitoring'] });
  cleanups.push(() => stack.close());
  const session = await openSession();
  cleanups.push(() => session.close());
  const { page } = session;
  // (Page code as strings: the bench project has no DOM types.)
  await page.addInitScript({ content: RENDER_PROBE });
  await login(session, stack.consoleUrl, 'admin');
  const url = `${stack.consoleUrl}/clusters/host/gpu-monitoring`;
  const rendered = async () => {
    await page.waitForFunction('window.__gmRendered !== undefined', undefined, {
      timeout: 60_000,
      polling: 50,
    });
    const [ms, shown] = (await page.evaluate('[window.__gmRendered, window.__gmDevices]')) as [
      number,
      string,
    ];
    if (Number(shown) !== devices) note(`dashboard showed ${shown} GPUs, the API ${devices}`);
    return ms;
  };
  const fullLoad = async () => {
    await page.goto(url, { waitUntil: 'commit' });
    const ms = await rendered();
    return { ms, summary: (await page.evaluate(SUMMARY_ARRIVED('0'))) as number | null };
  };
  const inApp = async () => {
    // Leave for the GPU-hours page (same extension, no summary cards), then come back through the menu.
    await page.locator('[data-testid="gpuhours-link"]').click();
    await page.locator('[data-testid="summary-cards"]').waitFor({ state: 'detached', timeout: 30_000 });
    await sleep(6000); // past the backend's 5 s PromQL answer cache
    if (!(await page.evaluate(CLICK_MENU))) throw new Error('no GPU Monitoring entry in the cluster menu');
    const end = await rendered();
    const start = (await page.evaluate('window.__gmStart')) as number;
    await page.waitForFunction(`${PANELS_ANSWERED('window.__gmStart')} !== null`, undefined, {
      timeout: 120_000,
      polling: 100,
    });
    return {
      ms: end - start,
      summary: (await page.evaluate(SUMMARY_ARRIVED('window.__gmStart'))) as number | null,
      panels: (await page.evaluate(PANELS_ANSWERED('window.__gmStart'))) as number,
    };
  };
  const shown = async (why: unknown) => {
    // What the page shows instead, and the API calls that failed: the reason goes with the (missing) figure.
    const text = await page
      .locator('[data-testid="cluster-dashboard"]')
      .innerText({ timeout: 2000 })
      .catch(() => '(no dashboard)');
    const failed = [...new Set(session.problems.map((p) => p.text))].slice(0, 6).join('; ');
    const shot = await session.screenshot('bench-gpu-monitoring-render').catch(() => '');
    return (
      `not measured: ${why instanceof Error ? why.message.split('\n')[0] : String(why)}; the page shows ` +
      `"${text.replace(/\s+/g, ' ').slice(0, 200)}"; failed calls: ${failed || 'none'}${shot ? `; screenshot ${shot}` : ''}`
    );
  };
  try {
    const result = await renderRunsOf(fullLoad, inApp);
    const bad = [...new Set(session.unexpected().map((p) => p.text))];
    if (bad.length) note(`page problems during the render runs: ${bad.join('; ').slice(0, 400)}`);
    return result;
  } catch (error) {
    return shown(error);
  }
}

async function renderRunsOf(
  fullLoad: () => Promise<{ ms: number; summary: number | null }>,
  inApp: () => Promise<{ ms: number; summary: number | null; panels: number }>,
): Promise<RenderResult> {
  const result: RenderResult = {
    coldLoad: (await fullLoad()).ms,
    inApp: [],
    fullLoad: [],
    summaryArrived: { inApp: [], fullLoad: [] },
    panelsInApp: [],
  };
  for (let i = 0; i < renderRuns; i++) {
    const a = await inApp();
    result.inApp.push(a.ms);
    result.panelsInApp.push(a.panels);
    if (a.summary !== null) result.summaryArrived.inApp.push(a.summary);
    await sleep(6000);
    const f = await fullLoad();
    result.fullLoad.push(f.ms);
    if (f.summary !== null) result.summaryArrived.fullLoad.push(f.summary);
  }
  return result;
}

// ---- main ---------------------------------------------------------------------------------------------------

const figures: Figure[] = [];

/** Builds the fleet (synthetic simulator, real pods, backfill, warm-up) and measures the API figures. */
async function measureFleetAndApi(
  env: SandboxEnv,
  kc: KubeConfig,
  timing: { startedSeconds: number; t0: number },
): Promise<{ nodes: number; gpus: number }> {
  const prometheusUrl = env.PROMETHEUS_URL;
  const { startedSeconds, t0 } = timing;

  let synthetic: SyntheticCluster | undefined;
  if (syntheticNodes > 0) {
    const port = await freePort();
    const simUrl = `http://127.0.0.1:${port}`;
    // Recorded in the sandbox's state, so `down` stops it with the rest.
    const sim = startProcess(
      'dcgm-sim-synthetic',
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'tests/sandbox/dcgm-sim/main.ts')].concat(
        ['--port', String(port), '--synthetic-nodes', String(syntheticNodes)],
        ['--synthetic-namespaces', String(namespaces), '--synthetic-workspaces', String(workspaces)],
      ),
      { url: simUrl, cwd: repoRoot },
    );
    // It is our child: stop it (and reap it) here, since `down` runs while this process waits in spawnSync.
    if (!keep)
      cleanups.push(async () => {
        try {
          process.kill(-sim.pid, 'SIGTERM');
        } catch {
          return;
        }
        await waitFor('metric-only simulator stopped', async () => !isAlive(sim.pid), {
          timeoutMs: 10_000,
        }).catch(() => process.kill(-sim.pid, 'SIGKILL'));
      });
    await waitFor(
      'metric-only simulator /healthz',
      async () => (await fetch(`${simUrl}/healthz`).catch(() => undefined))?.ok === true,
      {
        timeoutMs: 60_000,
      },
    );
    await configurePrometheus(prometheusUrl, `127.0.0.1:${port}`);
    // The same fleet as the simulator's (deterministic), for the expected counts and the backfill.
    synthetic = new SyntheticCluster({ nodes: syntheticNodes, namespaces, workspaces });
  } else {
    await configurePrometheus(prometheusUrl, undefined);
  }
  const liveSince = performance.now();
  progress('GPU pods on the KWOK nodes');
  const realPodCount = await createRealPods(kc);
  note(
    kwokNodes < totalNodes
      ? `${kwokNodes} KWOK nodes (real API objects, ${realPodCount} GPU pods placed by the real scheduler) + ` +
          `${syntheticNodes} metric-only nodes from the simulator alone (${synthetic!.pods().length} simulated GPU pods in ` +
          `${namespaces} namespaces): 1,000 KWOK nodes cost ~1.3 of this machine's 2 shared cores`
      : `${kwokNodes} KWOK nodes (real API objects, ${realPodCount} GPU pods placed by the real scheduler)`,
  );
  note(
    `sandbox, pods and simulators up in ${((performance.now() - t0) / 1000).toFixed(0)} s; scrape interval ${scrapeSeconds} s`,
  );

  // Every held GPU of both halves scraped.
  const heldExpected =
    realPods().reduce((n, p) => n + p.gpus, 0) +
    (synthetic?.pods() ?? []).reduce(
      (n, p) => n + Number(p.spec!.containers![0]!.resources!.requests!['nvidia.com/gpu']),
      0,
    );
  await waitFor(
    `${heldExpected} held GPUs in Prometheus`,
    async () => scalar(await promQuery(prometheusUrl, 'count(DCGM_FI_DEV_FB_USED{pod!=""})')) >= heldExpected,
    { timeoutMs: 300_000, intervalMs: 3000 },
  );

  progress('backfilling 7 days of the GPU-hours recording rules');
  await backfill(prometheusUrl, heldPerNamespace(synthetic), startedSeconds);

  const warmupLeft = warmupSeconds * 1000 - (performance.now() - liveSince);
  if (warmupLeft > 0) {
    progress(`collecting live data for ${(warmupLeft / 1000).toFixed(0)} s more`);
    await new Promise((r) => setTimeout(r, warmupLeft));
  }
  note(
    `${((performance.now() - liveSince) / 60_000).toFixed(1)} min of live data from the whole fleet when measuring ` +
      '(range functions over the 30-min idle window see only that much)',
  );

  progress(`measuring ${requests} summary and GPU-table requests against the compiled backend`);
  const backend = await startCompiledBackend(env.KUBECONFIG, {
    env: {
      FEATURES: 'gpu-monitoring',
      PROMETHEUS_URL: prometheusUrl,
      PROMETHEUS_CACHE_TTL_MS: '0',
    },
  });
  cleanups.push(() => backend.stop());
  const token = sandboxUser('admin').token;

  const scheme: LabelScheme = detectScheme((await promQuery(prometheusUrl, SCHEME_PROBE_QUERY)).result);
  const summaryQ = Object.values(clusterSummaryQueries(scheme, { idle: idleOptions({}) })).filter(
    (q): q is string => typeof q === 'string',
  );
  // The table reads page-first (ADR 0011): the raw time is both reads, the second for the UUIDs the API returned.
  const tableReads = gpuTablePageQueries(scheme, {}, {});
  const rawTable = async (page: GpuCardList): Promise<number> =>
    (await rawTime(prometheusUrl, Object.values(tableReads.index))) +
    (await rawTime(prometheusUrl, Object.values(tableReads.page(page.items.map((c) => c.uuid)))));
  const summaryUrl = `${backend.url}${API}/gpusummary`;
  const tableUrl = `${backend.url}${API}/gpus?limit=${tableLimit}`;

  // Warm-up (scheme probe, namespace watch, JIT) then interleaved: API, raw, API, raw.
  let summary = (await timedGet<GpuSummary>(summaryUrl, token)).body;
  let table = (await timedGet<GpuCardList>(tableUrl, token)).body;
  for (let i = 0; i < 3; i++) {
    await timedGet(summaryUrl, token);
    await rawTime(prometheusUrl, summaryQ);
    table = (await timedGet<GpuCardList>(tableUrl, token)).body;
    await rawTable(table);
  }
  const api = { summary: [] as number[], table: [] as number[] };
  const raw = { summary: [] as number[], table: [] as number[] };
  for (let i = 0; i < requests; i++) {
    const s = await timedGet<GpuSummary>(summaryUrl, token);
    api.summary.push(s.ms);
    summary = s.body;
    raw.summary.push(await rawTime(prometheusUrl, summaryQ));
    const g = await timedGet<GpuCardList>(tableUrl, token);
    api.table.push(g.ms);
    table = g.body;
    raw.table.push(await rawTable(table));
  }
  const nodes = scalar(
    await promQuery(prometheusUrl, `count(count by (${scheme.hostLabel}) (DCGM_FI_DEV_FB_USED))`),
  );
  const gpus = summary.totals.devices;
  note(
    `summary: ${summaryQ.length} PromQL queries, raw p50 ${fmt(percentile(raw.summary, 50))} p99 ${fmt(percentile(raw.summary, 99))}; ` +
      `totals ${JSON.stringify(summary.totals)}`,
  );
  note(
    `GPU table (limit ${tableLimit}), read page-first: ${Object.keys(tableReads.index).length} PromQL queries for ` +
      `every GPU, then ${Object.keys(tableReads.page([])).length} for the page's; raw p50 ${fmt(percentile(raw.table, 50))} ` +
      `p99 ${fmt(percentile(raw.table, 99))}; ${table.total} GPUs in the table, ${table.items.length} returned`,
  );
  const slow = (v: number[]) => v.filter((ms) => ms > DEFAULT_PROMETHEUS_TIMEOUT_MS).length;
  note(
    `${requests} sequential requests per endpoint after 3 warm-up rounds; backend PromQL answer cache off, ` +
      `default PROMETHEUS_TIMEOUT_MS=${DEFAULT_PROMETHEUS_TIMEOUT_MS} (raw answers slower than that, which are 502s: ` +
      `summary ${slow(raw.summary)}, table ${slow(raw.table)})`,
  );

  // With the backend's default 5 s answer cache, requests within the TTL do not reach Prometheus.
  const cachedBackend = await startCompiledBackend(env.KUBECONFIG, {
    env: {
      FEATURES: 'gpu-monitoring',
      PROMETHEUS_URL: prometheusUrl,
    },
  });
  try {
    const cached: number[] = [];
    await timedGet(summaryUrl.replace(backend.url, cachedBackend.url), token);
    for (let i = 0; i < 10; i++)
      cached.push((await timedGet(summaryUrl.replace(backend.url, cachedBackend.url), token)).ms);
    note(
      `summary with the default 5 s answer cache, 10 back-to-back requests: p50 ${fmt(percentile(cached, 50))}`,
    );
  } finally {
    await cachedBackend.stop();
  }

  // 7-day GPU-hours by namespace, read from the recording rules.
  const end = Math.floor(Date.now() / 1000);
  const hoursUrl = `${backend.url}${API}/gpuhours?start=${end - 7 * DAY}&end=${end}&groupBy=namespace`;
  const firstHours = await timedGet<GpuHoursReport>(hoursUrl, token);
  const hours: number[] = [];
  let hoursReport = firstHours.body;
  for (let i = 0; i < hoursRuns; i++) {
    const r = await timedGet<GpuHoursReport>(hoursUrl, token);
    hours.push(r.ms);
    hoursReport = r.body;
  }
  const hq = gpuHoursQueries('namespace', { startSeconds: end - 7 * DAY, endSeconds: end });
  const stats = await promQuery(prometheusUrl, hq.allocated, { time: String(hq.time), stats: 'all' });
  const touched = stats.stats?.samples?.totalQueryableSamples;
  note(
    `GPU-hours 7 d by namespace: ${hoursReport.rows.length} rows, ${hoursReport.totals.allocatedGpuHours.toFixed(0)} allocated / ` +
      `${hoursReport.totals.utilizedGpuHours.toFixed(0)} utilized GPU-hours; first request ${fmt(firstHours.ms)}, ` +
      `median of ${hoursRuns}` +
      (touched !== undefined
        ? `; the allocated query touches ${(touched / 1e6).toFixed(2)}M samples (limit 50M)`
        : ''),
  );

  const rss = rssMb(backend.pid);
  const promRss = (await promSelfMetric(prometheusUrl, 'process_resident_memory_bytes')) / 1_048_576;
  const headSeries = await promSelfMetric(prometheusUrl, 'prometheus_tsdb_head_series');
  note(`Prometheus: ${headSeries} head series, RSS ${promRss.toFixed(0)} MB`);
  await backend.stop();
  cleanups.pop();

  const ratio = (a: number[], b: number[]) => percentile(a, 50) / percentile(b, 50);
  figures.push(
    { name: 'summary_p50_ms', value: percentile(api.summary, 50), unit: 'ms' },
    { name: 'summary_p99_ms', value: percentile(api.summary, 99), unit: 'ms' },
    { name: 'summary_raw_p50_ms', value: percentile(raw.summary, 50), unit: 'ms' },
    { name: 'summary_ratio', value: ratio(api.summary, raw.summary), unit: 'x', target: '<= 1.2' },
    { name: 'table_p50_ms', value: percentile(api.table, 50), unit: 'ms' },
    { name: 'table_p99_ms', value: percentile(api.table, 99), unit: 'ms' },
    { name: 'table_raw_p50_ms', value: percentile(raw.table, 50), unit: 'ms' },
    { name: 'table_ratio', value: ratio(api.table, raw.table), unit: 'x', target: '<= 1.2' },
    { name: 'gpuhours_7d_ms', value: percentile(hours, 50), unit: 'ms' },
    { name: 'rss_mb', value: rss, unit: 'MB', target: '≤ 250 MB' },
  );

  return { nodes, gpus };
}

async function addRenderFigures(gpus: number): Promise<void> {
  if (skipRender) note('dashboard_render_ms: not measured (BENCH_GM_SKIP_RENDER=1)');
  else {
    progress('dashboard render in headless Chromium');
    const render = await measureRender(gpus);
    if (typeof render === 'string') note(`dashboard_render_ms: ${render}`);
    else {
      const list = (v: number[]) => v.map((r) => r.toFixed(0)).join(', ');
      note(
        `dashboard_render_ms: menu click on "GPU Monitoring" (console loaded) to the first frame with the API's GPU ` +
          `count in the summary cards, page clock, median of ${render.inApp.length}: ${list(render.inApp)} ms; ` +
          `the gpusummary answer arrived after ${list(render.summaryArrived.inApp)} ms; every panel's first answer ` +
          `(summary, nodes, idle GPUs, projects, top-N, two charts) after ${list(render.panelsInApp)} ms`,
      );
      note(
        `dashboard_full_load_ms: page load of ${'/clusters/host/gpu-monitoring'} (KubeSphere console boot included) to the ` +
          `same frame, median of ${render.fullLoad.length}: ${list(render.fullLoad)} ms (first, cold browser cache: ` +
          `${render.coldLoad.toFixed(0)} ms); gpusummary answered at ${list(render.summaryArrived.fullLoad)} ms`,
      );
      note(
        "dashboard: the stack's backend runs from source (tsx) with its default 5 s answer cache, let expire before each run",
      );
      figures.push(
        { name: 'dashboard_render_ms', value: percentile(render.inApp, 50), unit: 'ms', target: '<= 1500' },
        { name: 'dashboard_full_load_ms', value: percentile(render.fullLoad, 50), unit: 'ms' },
        { name: 'dashboard_panels_ms', value: percentile(render.panelsInApp, 50), unit: 'ms' },
      );
    }
  }
}

try {
  const startedSeconds = Math.floor(Date.now() / 60_000) * 60;
  progress(`sandbox in ${sandboxDir}${keep ? ' (kept: BENCH_GM_KEEP=1)' : ''}`);
  const t0 = performance.now();
  const reused = existsSync(join(sandboxDir, 'env'));
  // Registered before `up`, so a failed or interrupted start is stopped too; a sandbox we did not start is left be.
  if (!reused && !keep)
    cleanups.push(() => (existsSync(join(sandboxDir, 'state.json')) ? stopSandbox() : undefined));
  const { env } = useSandbox(['--nodes', String(kwokNodes)]);
  const prometheusUrl = env.PROMETHEUS_URL;
  const kc = new KubeConfig();
  kc.loadFromFile(env.KUBECONFIG);
  const timing = { startedSeconds, t0 };
  let fleet: { nodes: number; gpus: number };
  if (renderOnly) {
    if (!reused)
      throw new Error(
        'BENCH_GM_RENDER_ONLY=1 needs the BENCH_GM_SANDBOX_DIR of a run kept with BENCH_GM_KEEP=1',
      );
    note('render only (BENCH_GM_RENDER_ONLY=1), against the fleet of a kept sandbox');
    fleet = {
      nodes: scalar(await promQuery(prometheusUrl, `count(count by (node) (${RECORDED.gpuMemoryUsed}))`)),
      gpus: scalar(await promQuery(prometheusUrl, 'count(DCGM_FI_DEV_FB_USED)')),
    };
  } else fleet = await measureFleetAndApi(env, kc, timing);
  await addRenderFigures(fleet.gpus);
  figures.push(
    { name: 'nodes', value: fleet.nodes, unit: 'nodes' },
    { name: 'gpus', value: fleet.gpus, unit: 'GPUs' },
  );
  report(BENCH, figures, notes);
} catch (error) {
  process.exitCode = 1;
  console.error(
    `# ${BENCH}: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  if (figures.length) report(BENCH, figures, [...notes, `INCOMPLETE: ${String(error)}`]);
} finally {
  await cleanUp();
}
