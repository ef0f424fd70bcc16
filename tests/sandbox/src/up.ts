// `npm run sandbox -- up`: start every part (idempotent), then write `.sandbox/env` and users.
import { CoreV1Api } from '@kubernetes/client-node';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ALERTMANAGER_WEBHOOK_PATH, ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { startAlertmanagerPair } from './alertmanager-pair.js';
import { startBackend, startKsShim } from './apps.js';
import { configureBackendCmdb, startCmdbStandIn } from './cmdb.js';
import { applyFeatureRbac } from './feature-rbac.js';
import { ensureK8sBinary, ensureKwok } from './binaries.js';
import { createGpuNodes, startKwok } from './cluster.js';
import { kwokKubeconfig, startControlPlane } from './controlplane.js';
import { allCrdGroups, installCrds, type CrdGroup } from './crds.js';
import { defaultTrainingRuntimes } from './trainer-runtimes.js';
import { startDcgmSim, type LabelVariant } from './dcgm.js';
import { applyObjects, loadKubeConfig } from './kube.js';
import { layout } from './layout.js';
import { step } from './log.js';
import { startPrometheus } from './monitoring.js';
import { startSmtpServer } from './smtp.js';
import { startVoiceStandIns } from './voice.js';
import { startWecomStandIn } from './wecom.js';
import { createPki } from './pki.js';
import { freePorts } from './ports.js';
import { isAlive, readState, stopAll } from './processes.js';
import { makeUsers, tenantObjects } from './tenants.js';
import { httpOk, waitFor } from './wait.js';
import { readSandboxEnv } from './env.js';

export interface UpOptions {
  nodes: number;
  labelVariant: LabelVariant;
  crds: CrdGroup[];
}

export const defaultUpOptions: UpOptions = { nodes: 4, labelVariant: 'default', crds: allCrdGroups };

/** True when a previous `up` is fully alive and its apiserver answers. */
async function alreadyUp(): Promise<boolean> {
  const state = readState();
  if (!state || !existsSync(layout.env)) return false;
  if (!state.processes.every((p) => isAlive(p.pid))) return false;
  return httpOk(`${readSandboxEnv().PROMETHEUS_URL}/-/ready`);
}

export function writeEnvFile(values: Record<string, string>): void {
  const lines = Object.entries(values).map(([key, value]) => `${key}=${value}`);
  writeFileSync(layout.env, lines.join('\n') + '\n', { mode: 0o600 });
}

export async function up(options: UpOptions = defaultUpOptions): Promise<void> {
  if (await alreadyUp()) {
    step(`already up (${layout.env}); "npm run sandbox -- down" stops it`);
    return;
  }
  if (readState()) {
    step('a previous sandbox is partly running: stopping it first');
    await stopAll();
  }
  rmSync(layout.root, { recursive: true, force: true });
  mkdirSync(layout.bin, { recursive: true });

  const k8s = ensureK8sBinary();
  const kwok = ensureKwok();
  symlinkSync(k8s, join(layout.bin, 'kubectl'));

  const ports = await freePorts([
    'etcd',
    'etcdPeer',
    'apiserver',
    'controllerManager',
    'scheduler',
    'kwok',
    'dcgm',
    'prometheus',
    'alertmanager',
    'alertmanagerCluster',
    'alertmanagerPeer',
    'alertmanagerPeerCluster',
    'ksShim',
    'backend',
    'smtp',
    'voice',
    'wecom',
    'cmdb',
  ] as const);
  step('certificates and users');
  const pki = createPki(layout.pki);
  const users = makeUsers();
  writeFileSync(layout.users, JSON.stringify(users, null, 2) + '\n', { mode: 0o600 });

  step('etcd, kube-apiserver, kube-controller-manager, kube-scheduler');
  const cp = await startControlPlane(k8s, pki, users, ports);
  const kc = loadKubeConfig(cp.adminKubeconfig);

  step('tenants (workspaces, projects, RBAC) and test CRDs: ' + (options.crds.join(', ') || 'none'));
  await applyObjects(kc, tenantObjects(users));
  await applyFeatureRbac(kc, ROUTE_TABLE, users);
  await installCrds(kc, options.crds);
  // A cluster with Trainer has its default runtimes: a TrainJob naming torch-distributed is valid here too.
  if (options.crds.includes('trainer')) await applyObjects(kc, defaultTrainingRuntimes());
  await waitForDefaultServiceAccounts(kc);

  step(`KWOK with ${options.nodes} GPU nodes + a MIG node + a HAMi node`);
  await startKwok(kwok.binary, kwok.stages, kwokKubeconfig(), ports.kwok);
  await createGpuNodes(kc, options.nodes);

  step('Alertmanager pair, dcgm-exporter simulator, Prometheus');
  const backendUrl = `http://127.0.0.1:${ports.backend}`;
  // The token Alertmanager presents to the backend's intake (a Secret's file in a cluster).
  const alertIntakeTokenFile = join(layout.config, 'alert-intake-token');
  mkdirSync(layout.config, { recursive: true });
  writeFileSync(alertIntakeTokenFile, randomBytes(24).toString('hex') + '\n', { mode: 0o600 });
  // The key that signs cmdb-alerting's acknowledgement links (a Secret's file in a cluster).
  const alertAckKeyFile = join(layout.config, 'alert-ack-key');
  writeFileSync(alertAckKeyFile, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  const [alertmanagerUrl, alertmanagerPeerUrl] = await startAlertmanagerPair(
    [
      { web: ports.alertmanager, cluster: ports.alertmanagerCluster },
      { web: ports.alertmanagerPeer, cluster: ports.alertmanagerPeerCluster },
    ],
    { webhookUrl: backendUrl + ALERTMANAGER_WEBHOOK_PATH, tokenFile: alertIntakeTokenFile },
  );
  const dcgmUrl = await startDcgmSim(cp.adminKubeconfig, ports.dcgm, options.labelVariant);
  const target = `127.0.0.1:${ports.dcgm}`;
  const prometheusUrl = await startPrometheus(ports.prometheus, {
    dcgm: target,
    ksm: target,
    alertmanager: [`127.0.0.1:${ports.alertmanager}`, `127.0.0.1:${ports.alertmanagerPeer}`],
  });

  step('SMTP server (aiosmtpd) for the email channel');
  const smtp = await startSmtpServer(ports.smtp);
  step('voice provider stand-ins (Alibaba Cloud VMS, Tencent Cloud VMS, Twilio)');
  const voice = await startVoiceStandIns(ports.voice);
  step('WeCom stand-in (group robot and app message APIs)');
  const wecomUrl = await startWecomStandIn(ports.wecom);
  step('CMDB stand-in (BlueKing CMDB, NetBox, an in-house HTTP/JSON CMDB)');
  const cmdbUrl = await startCmdbStandIn(ports.cmdb);

  // The voice providers file an operator mounts from a Secret, pointed at the three voice stand-ins: Tencent Cloud
  // VMS first, then Alibaba Cloud VMS and Twilio, so a call fails over when one fails or is rate limited.
  const voiceProvidersFile = join(layout.config, 'alert-voice-providers.json');
  const voiceKeys = JSON.parse(readFileSync(voice.credentialsFile, 'utf8')) as {
    aliyun: { accessKeyId: string; accessKeySecret: string };
    tencent: { secretId: string; secretKey: string };
    twilio: { accountSid: string; authToken: string };
  };
  writeFileSync(
    voiceProvidersFile,
    JSON.stringify({
      order: ['tencent', 'aliyun', 'twilio'],
      tencent: {
        endpoint: `${voice.url}/tencent/`,
        ...voiceKeys.tencent,
        voiceSdkAppid: '1400000000',
        templateId: '100',
      },
      aliyun: { endpoint: `${voice.url}/aliyun/`, ...voiceKeys.aliyun, ttsCode: 'TTS_100' },
      twilio: { endpoint: `${voice.url}/twilio`, ...voiceKeys.twilio, from: '+15005550006' },
    }),
    { mode: 0o600 },
  );

  step('ks-apiserver stand-in and the backend with every feature');
  const ksApiserverUrl = await startKsShim(ports.ksShim, backendUrl, cp.adminKubeconfig);
  await startBackend(ports.backend, {
    ksApiserverUrl,
    kubeconfig: cp.adminKubeconfig,
    prometheusUrl,
    alertIntakeTokenFile,
    alertmanagerUrl,
    alertAckKeyFile,
    alertChannels: { wecomApiUrl: wecomUrl, smtpHost: smtp.host, smtpPort: smtp.port, voiceProvidersFile },
  });

  // Never fatal: a backend without the CMDB settings route (or refusing these) runs on the cluster's own facts.
  const backendCmdb = await configureBackendCmdb(
    kc,
    ksApiserverUrl,
    cmdbUrl,
    users.find((u) => u.name === 'admin')!,
  ).catch((error: unknown) => {
    step(`CMDB settings not applied: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  });
  step(
    backendCmdb
      ? 'the backend asks the CMDB stand-in (NetBox) for business systems'
      : "the backend has no CMDB connection: it maps alerts from the cluster's own facts",
  );

  writeEnvFile({
    SANDBOX_DIR: layout.root,
    KUBECONFIG: cp.adminKubeconfig,
    KUBE_APISERVER_URL: cp.apiserverUrl,
    ETCD_URL: cp.etcdUrl,
    PROMETHEUS_URL: prometheusUrl,
    ALERTMANAGER_URL: alertmanagerUrl,
    ALERTMANAGER_PEER_URL: alertmanagerPeerUrl,
    ALERT_INTAKE_TOKEN_FILE: alertIntakeTokenFile,
    DCGM_SIM_URL: dcgmUrl,
    SANDBOX_USERS: layout.users,
    KS_APISERVER_URL: ksApiserverUrl,
    BACKEND_URL: backendUrl,
    SANDBOX_NODES: String(options.nodes),
    SANDBOX_LABEL_VARIANT: options.labelVariant,
    SMTP_HOST: smtp.host,
    SMTP_PORT: String(smtp.port),
    SMTP_MAILDIR: smtp.maildir,
    VOICE_STANDIN_URL: voice.url,
    VOICE_STANDIN_CREDENTIALS: voice.credentialsFile,
    WECOM_API_URL: wecomUrl,
    CMDB_STANDIN_URL: cmdbUrl,
    BACKEND_CMDB: backendCmdb ? 'netbox' : 'none',
  });
  step(
    `up: env in ${layout.env}; kubectl: ${join(layout.bin, 'kubectl')} --kubeconfig ${cp.adminKubeconfig}`,
  );
}

/** Pods are rejected until the namespace's default ServiceAccount exists (controller-manager creates it). */
async function waitForDefaultServiceAccounts(kc: ReturnType<typeof loadKubeConfig>): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const namespaces = (await core.listNamespace()).items.map((n) => n.metadata!.name!);
  await waitFor('default ServiceAccounts in every namespace', async () => {
    const accounts = await core.listServiceAccountForAllNamespaces({
      fieldSelector: 'metadata.name=default',
    });
    const have = new Set(accounts.items.map((a) => a.metadata!.namespace));
    return namespaces.every((n) => have.has(n));
  });
}
