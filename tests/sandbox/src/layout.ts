// Where the sandbox keeps things: state under `.sandbox/` (git-ignored, removed by `down`),
// built binaries under the user's cache (kept across clones, keyed by version).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sandboxDir } from './env.js';

export { repoRoot, sandboxDir };

export function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ks-gpu-ml');
}

export const layout = {
  get root() {
    return sandboxDir();
  },
  get bin() {
    return join(sandboxDir(), 'bin');
  },
  get logs() {
    return join(sandboxDir(), 'logs');
  },
  get data() {
    return join(sandboxDir(), 'data');
  },
  get pki() {
    return join(sandboxDir(), 'pki');
  },
  get config() {
    return join(sandboxDir(), 'config');
  },
  get state() {
    return join(sandboxDir(), 'state.json');
  },
  get env() {
    return join(sandboxDir(), 'env');
  },
  get kubeconfig() {
    return join(sandboxDir(), 'kubeconfig');
  },
  get users() {
    return join(sandboxDir(), 'users.json');
  },
};
