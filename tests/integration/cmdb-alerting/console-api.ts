// The sandbox backend's API as the console calls it, for the tests that drive the real chain: through the
// ks-apiserver stand-in, with the token of the sandbox admin's login there; and what both chains set up through it.
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  cmdbAlertingRoutes as routes,
  urlFor,
  type EscalationPolicyInput,
  type ReceiverInput,
} from '@ks-gpu-ml/contracts';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { ksLogin } from '../../sandbox/src/ks-login.js';
import { adminKubeConfig } from '../../sandbox/src/testing.js';

/** One call: its status and its JSON body (undefined when empty). */
export type ConsoleApi = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: unknown }>;

/** Logs the sandbox's admin in at the ks-apiserver stand-in; the calls then go there as the admin. */
export async function adminConsoleApi(): Promise<ConsoleApi> {
  const ksApiserverUrl = readSandboxEnv().KS_APISERVER_URL!;
  const jwt = await ksLogin(ksApiserverUrl, 'admin');
  return async (method, path, body) => {
    const res = await fetch(`${ksApiserverUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${jwt}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
}

/** Creates a receiver or an escalation policy through the console's path and asserts the backend made it. */
export async function create(
  api: ConsoleApi,
  path: string,
  body: ReceiverInput | EscalationPolicyInput,
): Promise<void> {
  const res = await api('POST', path, body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/**
 * A cluster WeCom robot receiver `name` whose webhook key `robotKey` is in the Secret robot-keys of `namespace`, with
 * the robot registered at the sandbox's WeCom stand-in (which then records what is sent to it).
 */
export async function addRobotReceiver(
  api: ConsoleApi,
  name: string,
  namespace: string,
  robotKey: string,
): Promise<void> {
  await adminKubeConfig()
    .makeApiClient(CoreV1Api)
    .createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'robot-keys' }, stringData: { 'robot-key': robotKey } },
    });
  const registered = await fetch(`${readSandboxEnv().WECOM_API_URL}/_stand-in/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ robots: [robotKey] }),
  });
  assert.equal(registered.status, 200);
  await create(api, urlFor(routes.createClusterReceiver, {}), {
    name,
    type: 'wecom-robot',
    settings: {},
    secretRefs: { webhookKey: { namespace, name: 'robot-keys', key: 'robot-key' } },
    recipients: [],
  });
}
