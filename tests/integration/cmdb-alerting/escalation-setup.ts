// What the escalation tests (ack, chain, WeCom reply) do alike against their own backend process: post alerts as
// Alertmanager does, and set up the cluster receivers and the escalation policy an alert escalates through.
import assert from 'node:assert/strict';
import {
  ALERTMANAGER_WEBHOOK_PATH,
  cmdbAlertingRoutes as routes,
  urlFor,
  type AlertmanagerAlert,
  type AlertmanagerWebhookPayload,
} from '@ks-gpu-ml/contracts';
import { batchFixture } from '../../../backend/src/features/cmdb-alerting/test-fixtures.js';
import { call, type BackendProcess } from '../backend/backend-process.js';

/** The key the backend files an alert under: its fingerprint and its start in whole seconds. */
export const alertKeyOf = (alert: AlertmanagerAlert): string =>
  `${alert.fingerprint}-${Math.floor(Date.parse(alert.startsAt) / 1000)}`;

/** Posts `alerts` in one batch to the backend's Alertmanager webhook with the intake token; it must answer 200. */
export async function postAlerts(
  backend: BackendProcess,
  intakeToken: string,
  alerts: AlertmanagerAlert[],
  batch: Partial<AlertmanagerWebhookPayload> = {},
): Promise<void> {
  const res = await fetch(backend.url + ALERTMANAGER_WEBHOOK_PATH, {
    method: 'POST',
    headers: { authorization: `Bearer ${intakeToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(batchFixture(alerts, batch)),
  });
  assert.equal(res.status, 200, await res.text());
}

/** Creates each cluster receiver, then the escalation policy, through the API with `token`; each must answer 200. */
export async function createEscalation(
  backend: BackendProcess,
  token: string,
  receivers: object[],
  policy: object,
): Promise<void> {
  for (const body of receivers) {
    const res = await call(backend, 'POST', urlFor(routes.createClusterReceiver, {}), { token, body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  const res = await call(backend, 'POST', urlFor(routes.createClusterEscalationPolicy, {}), {
    token,
    body: policy,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/**
 * The escalation the acknowledgement tests stop: receiver `first`, then, `waitSeconds` policy seconds later, a
 * voice receiver named `phone` calling `callee`, for the alerts labelled `run`; the phone's step is what an
 * acknowledgement must keep from coming.
 */
export function escalationToPhone(opts: {
  name: string;
  run: string;
  first: { name: string } & Record<string, unknown>;
  waitSeconds: number;
  callee: { name: string; mobile: string };
}) {
  const phone = { name: 'phone', type: 'voice', settings: {}, secretRefs: {}, recipients: [opts.callee] };
  const policy = {
    name: opts.name,
    matchLabels: { run: opts.run },
    steps: [
      { receivers: [opts.first.name], waitSeconds: opts.waitSeconds },
      { receivers: [phone.name], waitSeconds: 60 },
    ],
    repeat: 0,
  };
  return { receivers: [opts.first, phone], policy };
}
