// Builds (once) and finds the Go-built sandbox binaries, cached outside the repository by version:
//   ~/.cache/ks-gpu-ml/k8s-v<kubernetes>-<source hash>/k8s   etcd, kube-apiserver, kube-controller-manager,
//                                                             kube-scheduler and kubectl in one binary
//   ~/.cache/ks-gpu-ml/kwok-v<kwok>/kwok (+ stages.yaml)     KWOK and its default node/pod stages
//   ~/.cache/ks-gpu-ml/helm-v<helm>/helm                      Helm, for the chart tests and `npm run package`
// The source hash covers tests/sandbox/k8s/{go.mod,go.sum,main.go}, so changing them rebuilds.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, repoRoot } from './layout.js';
import { step } from './log.js';

export const KUBERNETES_VERSION = '1.36.3';
export const KWOK_VERSION = '0.8.0';
export const HELM_VERSION = '4.3.2';

const k8sModule = join(repoRoot, 'tests/sandbox/k8s');

/** Stamps the version Kubernetes' own build injects, so /version and kubectl report it. */
function versionLdflags(): string {
  const [major, minor] = KUBERNETES_VERSION.split('.');
  const vars = {
    gitVersion: `v${KUBERNETES_VERSION}`,
    gitMajor: major,
    gitMinor: minor,
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
  };
  const set = Object.entries(vars).flatMap(([name, value]) => [
    `-X k8s.io/component-base/version.${name}=${value}`,
    `-X k8s.io/client-go/pkg/version.${name}=${value}`,
  ]);
  return ['-s', '-w', ...set].join(' ');
}

function sourceHash(): string {
  const hash = createHash('sha256');
  hash.update(versionLdflags());
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(join(k8sModule, file)));
  return hash.digest('hex').slice(0, 12);
}

export function k8sBinaryPath(): string {
  return join(cacheDir(), `k8s-v${KUBERNETES_VERSION}-${sourceHash()}`, 'k8s');
}

export function kwokDir(): string {
  return join(cacheDir(), `kwok-v${KWOK_VERSION}`);
}

function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', ...extra };
}

function run(
  what: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
) {
  const result = spawnSync(command, args, { ...options, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal})`);
}

export function ensureK8sBinary(): string {
  const target = k8sBinaryPath();
  if (existsSync(target)) return target;
  step(
    `building Kubernetes v${KUBERNETES_VERSION} (etcd, kube-apiserver, controller-manager, scheduler, kubectl)`,
  );
  step('first build only: about 15-25 minutes on 2 cores; cached afterwards in ' + target);
  mkdirSync(join(target, '..'), { recursive: true });
  const partial = `${target}.partial`;
  run(
    'go build of tests/sandbox/k8s',
    'go',
    ['build', '-trimpath', `-ldflags=${versionLdflags()}`, '-o', partial, '.'],
    {
      cwd: k8sModule,
      env: goEnv(),
    },
  );
  renameSync(partial, target);
  return target;
}

/** KWOK ships its default stages inside its module; we read them from the module cache, not from a copy. */
function writeKwokStages(dir: string): void {
  const modDir = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const stageRoot = join(modDir, `sigs.k8s.io/kwok@v${KWOK_VERSION}`, 'kustomize/stage');
  const files = [
    'node/fast/node-initialize.yaml',
    'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
    'pod/fast/pod-ready.yaml',
    'pod/fast/pod-complete.yaml',
    'pod/fast/pod-delete.yaml',
  ];
  const docs = files.map((file) => readFileSync(join(stageRoot, file), 'utf8').trim());
  writeFileSync(join(dir, 'stages.yaml'), docs.join('\n---\n') + '\n');
}

export function ensureKwok(): { binary: string; stages: string } {
  const dir = kwokDir();
  const binary = join(dir, 'kwok');
  const stages = join(dir, 'stages.yaml');
  if (existsSync(binary) && existsSync(stages)) return { binary, stages };
  step(`building KWOK v${KWOK_VERSION} from the Go module proxy (first time only)`);
  mkdirSync(dir, { recursive: true });
  run('go install sigs.k8s.io/kwok', 'go', ['install', `sigs.k8s.io/kwok/cmd/kwok@v${KWOK_VERSION}`], {
    env: goEnv({ GOBIN: dir, GOTOOLCHAIN: 'auto', GOFLAGS: '' }),
  });
  writeKwokStages(dir);
  return { binary, stages };
}

export function helmBinaryPath(): string {
  return join(cacheDir(), `helm-v${HELM_VERSION}`, 'helm');
}

/** Helm from the Go module proxy: its CLI package only, stripped, stamped with its version (`helm version`). */
export function ensureHelm(): string {
  const target = helmBinaryPath();
  if (existsSync(target)) return target;
  step(`building Helm v${HELM_VERSION} from the Go module proxy (first time only, a few minutes)`);
  const dir = join(target, '..');
  mkdirSync(dir, { recursive: true });
  const ldflags = `-s -w -X helm.sh/helm/v4/internal/version.version=v${HELM_VERSION}`;
  run(
    'go install helm.sh/helm/v4/cmd/helm',
    'go',
    ['install', '-trimpath', `-ldflags=${ldflags}`, `helm.sh/helm/v4/cmd/helm@v${HELM_VERSION}`],
    // Helm's go.mod asks for a newer Go than some machines have: let the go command fetch that toolchain.
    { env: goEnv({ GOBIN: dir, GOTOOLCHAIN: 'auto', GOFLAGS: '' }) },
  );
  return target;
}

/** Removes cached builds of other versions, so the cache does not grow with every bump. */
export function pruneOldBuilds(): void {
  const keep = new Set([join(k8sBinaryPath(), '..'), kwokDir(), join(helmBinaryPath(), '..')]);
  const root = cacheDir();
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (['k8s-v', 'kwok-v', 'helm-v'].some((p) => name.startsWith(p)) && !keep.has(path)) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}
