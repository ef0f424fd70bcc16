// The real Kubernetes control plane on loopback: etcd, kube-apiserver, kube-controller-manager
// and kube-scheduler, all from our multi-call binary (tests/sandbox/k8s).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layout } from './layout.js';
import { writeKubeconfig } from './kubeconfig.js';
import type { Pki } from './pki.js';
import { assertRunning, startProcess, type ProcessRecord } from './processes.js';
import { componentUsers, newToken, tokenFile } from './tenants.js';
import type { SandboxUser } from './env.js';
import { httpOk, waitFor } from './wait.js';

export interface ControlPlanePorts {
  etcd: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
}

export interface ControlPlane {
  apiserverUrl: string;
  etcdUrl: string;
  /** Admin kubeconfig (group system:masters) for the sandbox's own set-up work. */
  adminKubeconfig: string;
  adminToken: string;
}

async function waitReady(record: ProcessRecord, what: string, url: string, headers = {}, timeoutMs = 90_000) {
  await waitFor(
    what,
    async () => {
      assertRunning(record);
      return httpOk(url, headers);
    },
    { timeoutMs },
  );
}

export async function startEtcd(k8s: string, ports: ControlPlanePorts): Promise<string> {
  const dataDir = join(layout.data, 'etcd');
  mkdirSync(dataDir, { recursive: true });
  const client = `http://127.0.0.1:${ports.etcd}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  const record = startProcess(
    'etcd',
    k8s,
    ['etcd', '--name=sandbox', `--data-dir=${dataDir}`, `--listen-client-urls=${client}`]
      .concat([`--advertise-client-urls=${client}`, `--listen-peer-urls=${peer}`])
      .concat([`--initial-advertise-peer-urls=${peer}`, `--initial-cluster=sandbox=${peer}`])
      // Throwaway data: skipping fsync makes the whole sandbox several times faster on small disks.
      .concat(['--unsafe-no-fsync=true', '--log-level=warn']),
    { url: client },
  );
  await waitReady(record, 'etcd /health', `${client}/health`);
  return client;
}

export async function startControlPlane(
  k8s: string,
  pki: Pki,
  users: SandboxUser[],
  ports: ControlPlanePorts,
): Promise<ControlPlane> {
  mkdirSync(layout.config, { recursive: true });
  const etcdUrl = await startEtcd(k8s, ports);
  const apiserverUrl = `https://127.0.0.1:${ports.apiserver}`;

  const tokens = {
    admin: newToken(),
    controllerManager: newToken(),
    scheduler: newToken(),
    kwok: newToken(),
  };
  const tokensCsv = join(layout.config, 'tokens.csv');
  writeFileSync(
    tokensCsv,
    tokenFile([
      { ...componentUsers.sandboxAdmin, token: tokens.admin },
      { ...componentUsers.controllerManager, token: tokens.controllerManager },
      { ...componentUsers.scheduler, token: tokens.scheduler },
      { ...componentUsers.kwok, token: tokens.kwok },
      ...users,
    ]),
    { mode: 0o600 },
  );

  const apiserver = startProcess(
    'kube-apiserver',
    k8s,
    [
      'kube-apiserver',
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
    ]
      .concat([`--secure-port=${ports.apiserver}`, `--tls-cert-file=${pki.apiserverCert}`])
      .concat([`--tls-private-key-file=${pki.apiserverKey}`, `--client-ca-file=${pki.caCert}`])
      .concat([`--token-auth-file=${tokensCsv}`, '--authorization-mode=RBAC'])
      .concat(['--service-account-issuer=https://kubernetes.default.svc.cluster.local'])
      .concat([`--service-account-key-file=${pki.serviceAccountPub}`])
      .concat([`--service-account-signing-key-file=${pki.serviceAccountKey}`])
      .concat(['--service-cluster-ip-range=10.96.0.0/16', '--profiling=false'])
      // One client (tests) at a time: fairness queues only cost CPU on 2 cores.
      .concat(['--enable-priority-and-fairness=false', '--v=1']),
    { url: apiserverUrl },
  );
  await waitReady(apiserver, 'kube-apiserver /readyz', `${apiserverUrl}/readyz`, {
    Authorization: `Bearer ${tokens.admin}`,
  });

  const kubeconfigs = {
    admin: layout.kubeconfig,
    controllerManager: join(layout.config, 'controller-manager.kubeconfig'),
    scheduler: join(layout.config, 'scheduler.kubeconfig'),
    kwok: join(layout.config, 'kwok.kubeconfig'),
  };
  writeKubeconfig(
    kubeconfigs.admin,
    apiserverUrl,
    pki.caCert,
    componentUsers.sandboxAdmin.name,
    tokens.admin,
  );
  writeKubeconfig(
    kubeconfigs.controllerManager,
    apiserverUrl,
    pki.caCert,
    componentUsers.controllerManager.name,
    tokens.controllerManager,
  );
  writeKubeconfig(
    kubeconfigs.scheduler,
    apiserverUrl,
    pki.caCert,
    componentUsers.scheduler.name,
    tokens.scheduler,
  );
  writeKubeconfig(kubeconfigs.kwok, apiserverUrl, pki.caCert, componentUsers.kwok.name, tokens.kwok);

  const controllerManager = startProcess(
    'kube-controller-manager',
    k8s,
    ['kube-controller-manager', `--kubeconfig=${kubeconfigs.controllerManager}`, '--bind-address=127.0.0.1']
      .concat([`--secure-port=${ports.controllerManager}`, '--leader-elect=false'])
      .concat(['--use-service-account-credentials=true', `--root-ca-file=${pki.caCert}`])
      .concat([`--service-account-private-key-file=${pki.serviceAccountKey}`])
      // The quota controller fills ResourceQuota.status.used; resync it often so tests see changes fast.
      .concat(['--resource-quota-sync-period=10s', '--controllers=*,-nodeipam', '--v=1']),
    { url: `https://127.0.0.1:${ports.controllerManager}` },
  );
  const scheduler = startProcess(
    'kube-scheduler',
    k8s,
    ['kube-scheduler', `--kubeconfig=${kubeconfigs.scheduler}`, '--bind-address=127.0.0.1'].concat([
      `--secure-port=${ports.scheduler}`,
      '--leader-elect=false',
      '--v=1',
    ]),
    { url: `https://127.0.0.1:${ports.scheduler}` },
  );
  await waitReady(
    controllerManager,
    'kube-controller-manager /healthz',
    `https://127.0.0.1:${ports.controllerManager}/healthz`,
  );
  await waitReady(scheduler, 'kube-scheduler /healthz', `https://127.0.0.1:${ports.scheduler}/healthz`);
  return { apiserverUrl, etcdUrl, adminKubeconfig: kubeconfigs.admin, adminToken: tokens.admin };
}

export function kwokKubeconfig(): string {
  return join(layout.config, 'kwok.kubeconfig');
}
