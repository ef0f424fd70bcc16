// Our own services in the sandbox: the ks-apiserver stand-in (and, with it, the backend it
// proxies /kapis/<feature>.ks-gpu-ml.io to).
import { join } from 'node:path';
import { layout, repoRoot } from './layout.js';
import { assertRunning, startProcess } from './processes.js';
import { httpOk, waitFor } from './wait.js';

const tsxNode = (entry: string) => ['--import', 'tsx', join(repoRoot, entry)];

export async function startKsShim(port: number, backendUrl: string, kubeconfig: string): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  const record = startProcess(
    'ks-shim',
    process.execPath,
    tsxNode('tests/sandbox/ks-shim/main.ts').concat([
      '--kubeconfig',
      kubeconfig,
      '--users',
      layout.users,
      '--backend-url',
      backendUrl,
      '--port',
      String(port),
    ]),
    { url, cwd: repoRoot },
  );
  await waitFor(
    'ks-apiserver stand-in /healthz',
    async () => (assertRunning(record), httpOk(`${url}/healthz`)),
  );
  return url;
}

/**
 * The backend with every feature, behind the stand-in as in a real KubeSphere: KubeSphere auth
 * mode, so it verifies the console's JWTs with the stand-in's /oauth/userinfo.
 */
export async function startBackend(
  port: number,
  env: {
    ksApiserverUrl: string;
    kubeconfig: string;
    prometheusUrl: string;
    alertIntakeTokenFile?: string;
    /** cmdb-alerting's silences (Alertmanager API v2) and signed acknowledgement links pointing at this backend. */
    alertmanagerUrl?: string;
    alertAckKeyFile?: string;
    /** cmdb-alerting's providers (ADR 0037): the WeCom and voice stand-ins and the SMTP server of the sandbox. */
    alertChannels?: { wecomApiUrl: string; smtpHost: string; smtpPort: number; voiceProvidersFile: string };
  },
): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  const record = startProcess('backend', process.execPath, tsxNode('backend/src/server.ts'), {
    url,
    cwd: repoRoot,
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      AUTH_MODE: 'kubesphere',
      KS_APISERVER_URL: env.ksApiserverUrl,
      KUBECONFIG: env.kubeconfig,
      PROMETHEUS_URL: env.prometheusUrl,
      STORE_URL: `sqlite:${join(layout.data, 'backend.sqlite')}`,
      // ml-apps' test requests may reach the loopback stand-in predictor (off in every real install; ADR 0040).
      ML_APPS_SERVING_ALLOW_LOOPBACK: 'true',
      ...(env.alertIntakeTokenFile ? { ALERT_INTAKE_TOKEN_FILE: env.alertIntakeTokenFile } : {}),
      ...(env.alertmanagerUrl ? { ALERTMANAGER_URL: env.alertmanagerUrl } : {}),
      ...(env.alertAckKeyFile ? { ALERT_ACK_KEY_FILE: env.alertAckKeyFile, ALERT_ACK_BASE_URL: url } : {}),
      ...(env.alertChannels
        ? {
            ALERT_WECOM_API_URL: env.alertChannels.wecomApiUrl,
            ALERT_SMTP_HOST: env.alertChannels.smtpHost,
            ALERT_SMTP_PORT: String(env.alertChannels.smtpPort),
            ALERT_SMTP_FROM: 'alerts@sandbox.ks-gpu-ml.example',
            ALERT_VOICE_PROVIDERS_FILE: env.alertChannels.voiceProvidersFile,
          }
        : {}),
    },
  });
  await waitFor('backend /readyz', async () => (assertRunning(record), httpOk(`${url}/readyz`)));
  return url;
}
