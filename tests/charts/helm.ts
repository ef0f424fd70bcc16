// Helm for the chart tests: the binary `npm run sandbox -- build` caches, and the charts assembled once per test
// file by tools/charts/stage.ts (the same assembly `npm run package` ships).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { helmBinaryPath } from '../sandbox/src/binaries.js';
import { packagedFeatures, stageChart } from '../../tools/charts/stage.js';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

export function helmBinary(): string {
  const helm = helmBinaryPath();
  if (!existsSync(helm)) throw new Error(`${helm} is missing: run npm run sandbox -- build (setup.sh does)`);
  return helm;
}

/** Runs helm; on failure the error carries helm's own message. */
export function helm(args: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(helmBinary(), args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
      env: { ...process.env, HELM_CACHE_HOME: stagedRoot(), HELM_CONFIG_HOME: stagedRoot(), ...env },
    });
  } catch (err) {
    const { stderr, stdout } = err as { stderr?: string; stdout?: string };
    throw new Error(`helm ${args.join(' ')} failed:\n${stderr ?? ''}${stdout ?? ''}`);
  }
}

// Made when a test file imports this module, so the clean-up belongs to the file, not to whichever test came first.
const root = mkdtempSync(join(tmpdir(), 'ks-gpu-ml-charts-'));
after(() => rmSync(root, { recursive: true, force: true }));
const stagedRoot = () => root;

const staged = new Map<string, string>();
/** The assembled chart of a feature (assembled once per test file). */
export function chartDir(feature: string): string {
  let dir = staged.get(feature);
  if (!dir) {
    dir = stageChart(feature, join(stagedRoot(), 'charts'));
    staged.set(feature, dir);
  }
  return dir;
}

export const features = packagedFeatures;

/** `--set` pairs for helm. */
export const setArgs = (values: Record<string, string>): string[] =>
  Object.entries(values).flatMap(([key, value]) => ['--set', `${key}=${value}`]);

/** helm template of a feature's chart, parsed into manifests. */
export function render(
  feature: string,
  values: Record<string, string> = {},
  namespace = 'extension-test',
): Manifest[] {
  const text = helm(['template', feature, chartDir(feature), '--namespace', namespace, ...setArgs(values)]);
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}
