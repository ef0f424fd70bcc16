// The contract between the sandbox and everything that uses it (tests, benchmarks, `npm start`):
// `npm run sandbox -- up` writes `.sandbox/env` (shell KEY=value lines) and `.sandbox/users.json`;
// code reads them through these functions instead of parsing the files itself.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The sandbox's state folder; SANDBOX_DIR overrides it (a second sandbox for lifecycle tests). */
export function sandboxDir(): string {
  return process.env.SANDBOX_DIR ?? join(repoRoot, '.sandbox');
}

export interface SandboxEnv {
  KUBECONFIG: string;
  KUBE_APISERVER_URL: string;
  PROMETHEUS_URL: string;
  ALERTMANAGER_URL: string;
  DCGM_SIM_URL: string;
  SANDBOX_USERS: string;
  [key: string]: string;
}

export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!.replace(/^'(.*)'$/, '$1');
  }
  return env;
}

/** Reads `.sandbox/env`; throws with the command to run when the sandbox is not up. */
export function readSandboxEnv(dir = sandboxDir()): SandboxEnv {
  const file = join(dir, 'env');
  if (!existsSync(file)) {
    throw new Error(`${file} not found: start the sandbox first with "npm run sandbox -- up"`);
  }
  return parseEnvFile(readFileSync(file, 'utf8')) as SandboxEnv;
}

export type SandboxRole = 'platform-admin' | 'workspace-admin' | 'project-member' | 'project-viewer';

export interface SandboxUser {
  name: string;
  password: string;
  /** A bearer token kube-apiserver accepts for this user (static token file). */
  token: string;
  groups: string[];
  role: SandboxRole;
  /** The workspace a workspace admin administers. */
  workspace?: string;
  /** The project (namespace) a member or viewer belongs to. */
  namespace?: string;
}

export function readSandboxUsers(dir = sandboxDir()): SandboxUser[] {
  return JSON.parse(readFileSync(readSandboxEnv(dir).SANDBOX_USERS, 'utf8')) as SandboxUser[];
}

export function sandboxUser(name: string, dir = sandboxDir()): SandboxUser {
  const user = readSandboxUsers(dir).find((u) => u.name === name);
  if (!user) throw new Error(`no sandbox user "${name}"`);
  return user;
}
