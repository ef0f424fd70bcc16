// An alert's page as a workspace member uses it: the escalation's state, who acknowledged and the policy's steps as
// a timeline; Acknowledge is offered only while nobody has acknowledged and only when the caller may acknowledge, and an
// alert the workspace's policies do not escalate says so.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  cmdbAlertingRoutes as routes,
  platformRoutesFor,
  type AlertEscalation,
  type SelfAccessReviewRequest,
} from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ALERTING_IDS } from '../test-ids.js';
import { AlertPage } from './AlertPage.js';

const KEY = 'a1b2c3d4e5f60718-1796518800';
const review = platformRoutesFor('cmdb-alerting').createSelfAccessReview;

const escalating: AlertEscalation = {
  alertKey: KEY,
  policy: 'crit',
  workspace: 'ws-a',
  state: 'escalating',
  stepsSent: 1,
  acknowledgedBy: [],
  notified: ['ops-robot'],
  nextStepAt: '2026-12-06T01:05:00Z',
};

/** The member may acknowledge (grant view) but not read the policies (grant admin), unless `admin`. */
const answerReviews = (admin: boolean) => (call: { body: unknown }) => {
  const asked = call.body as SelfAccessReviewRequest;
  return ok({ allowed: admin || asked.subresource === 'acknowledgement' });
};

const server = serveEachTest(locales, (s) =>
  s
    .on(review, answerReviews(false))
    .on(routes.getWorkspaceAlertEscalation, () => ok(escalating))
    .on(routes.getWorkspaceAlertDeliveries, () => ok({ items: [] }))
    .on(routes.getWorkspaceEscalationPolicy, () =>
      ok({
        name: 'crit',
        matchLabels: {},
        steps: [
          { receivers: ['ops-robot'], waitSeconds: 300 },
          { receivers: ['owner'], waitSeconds: 600 },
        ],
        repeat: 0,
        updatedAt: '2026-12-06T00:00:00Z',
      }),
    ),
);

const openPage = () =>
  renderPage(<AlertPage />, {
    path: '/workspaces/:workspace/cmdb-alerting/alerts/:alertKey',
    at: `/workspaces/ws-a/cmdb-alerting/alerts/${KEY}`,
  });

test('a member acknowledges an escalating alert: POSTed for the workspace, then shown acknowledged by them', async () => {
  let acked = false;
  server
    .on(routes.getWorkspaceAlertEscalation, () =>
      ok(acked ? { ...escalating, state: 'acknowledged', acknowledgedBy: ['alice'] } : escalating),
    )
    .on(routes.acknowledgeWorkspaceAlert, () => {
      acked = true;
      return ok({ ...escalating, state: 'acknowledged', acknowledgedBy: ['alice'] });
    });
  openPage();
  assert.match((await screen.findByTestId(ALERTING_IDS.escalationState)).textContent ?? '', /Escalating/);
  assert.equal(screen.getByTestId(ALERTING_IDS.acknowledgedBy).textContent, '-');
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.acknowledge));
  await waitFor(() =>
    assert.match(screen.getByTestId(ALERTING_IDS.acknowledgedBy).textContent ?? '', /alice/),
  );
  const [call] = server.callsTo(routes.acknowledgeWorkspaceAlert);
  assert.deepEqual(call?.params, { workspace: 'ws-a', name: KEY });
  assert.match(screen.getByTestId(ALERTING_IDS.escalationState).textContent ?? '', /Acknowledged/);
  assert.equal(screen.queryByTestId(ALERTING_IDS.acknowledge), null, 'no second acknowledgement offered');
  assert.equal(
    server.callsTo(routes.getWorkspaceEscalationPolicy).length,
    0,
    'a member may not read policies',
  );
});

test('no Acknowledge is offered to a caller who may not acknowledge', async () => {
  server.on(review, () => ok({ allowed: false }));
  openPage();
  await screen.findByTestId(ALERTING_IDS.escalationState);
  await waitFor(() => assert.notEqual(server.callsTo(review).length, 0, 'the page asked the access review'));
  assert.equal(screen.queryByTestId(ALERTING_IDS.acknowledge), null);
  assert.ok(screen.getByTestId(ALERTING_IDS.tab('alerts')), 'the part is shown');
  assert.equal(
    screen.queryByTestId(ALERTING_IDS.tab('receivers')),
    null,
    'receivers not offered to a member',
  );
});

test('an admin sees the timeline: step 1 sent, step 2 next with its due time', async () => {
  server.on(review, answerReviews(true));
  openPage();
  const steps = await screen.findAllByTestId(ALERTING_IDS.timelineStep);
  assert.ok(screen.getByTestId(ALERTING_IDS.tab('receivers')), 'an admin is offered the receivers');
  assert.equal(steps.length, 2);
  assert.match(steps[0]!.textContent ?? '', /Sent.*Round 1, step 1: ops-robot.*then waits 5 min/);
  assert.match(steps[1]!.textContent ?? '', /Next.*step 2: owner.*due /);
});

test('every step sent and nobody acknowledged: still offered; acknowledged or resolved: not', async () => {
  server.on(routes.getWorkspaceAlertEscalation, () => ok({ ...escalating, state: 'exhausted' }));
  const view = openPage();
  assert.match(
    (await screen.findByTestId(ALERTING_IDS.escalationState)).textContent ?? '',
    /Nobody acknowledged/,
  );
  await screen.findByTestId(ALERTING_IDS.acknowledge);
  view.unmount();
  server.on(routes.getWorkspaceAlertEscalation, () => ok({ ...escalating, state: 'resolved' }));
  openPage();
  assert.match((await screen.findByTestId(ALERTING_IDS.escalationState)).textContent ?? '', /Resolved/);
  await waitFor(() => assert.notEqual(server.callsTo(review).length, 0, 'the page asked the access review'));
  assert.equal(screen.queryByTestId(ALERTING_IDS.acknowledge), null);
});

test('a refused acknowledgement shows what the server said', async () => {
  server.on(routes.acknowledgeWorkspaceAlert, () =>
    refusal(409, 'Conflict', 'The alert was resolved before the acknowledgement'),
  );
  openPage();
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.acknowledge));
  assert.match(
    (await screen.findByTestId(ALERTING_IDS.actionError)).textContent ?? '',
    /resolved before the acknowledgement.*HTTP 409/,
  );
});

test('an alert the workspace`s policies do not escalate (404) says so', async () => {
  server.on(routes.getWorkspaceAlertEscalation, () => refusal(404, 'NotFound', 'no such alert'));
  openPage();
  assert.match(
    (await screen.findByTestId(ALERTING_IDS.escalationNone)).textContent ?? '',
    /No escalation for this alert.*policies do not escalate it/,
  );
});

test("the delivery trail shows each attempt: channel, recipients, outcome and the provider's answer", async () => {
  server.on(routes.getWorkspaceAlertDeliveries, () =>
    ok({
      items: [
        {
          deliveryId: 7,
          receiver: 'ws-a/ops-robot',
          channel: 'wecom-robot',
          recipients: ['lilei'],
          outcome: 'retry',
          providerAnswer: 'errcode 45009: api freq out of limit',
          error: 'rate limited',
          at: '2026-12-06T01:00:00Z',
        },
        {
          deliveryId: 7,
          receiver: 'ws-a/ops-robot',
          channel: 'wecom-robot',
          recipients: ['lilei'],
          outcome: 'delivered',
          providerAnswer: 'errcode 0: ok',
          at: '2026-12-06T01:01:00Z',
        },
        {
          deliveryId: 8,
          receiver: 'ws-a/phones',
          channel: 'voice',
          recipients: ['owner'],
          outcome: 'not-answered',
          providerAnswer: 'twilio:CA1: not-answered',
          at: '2026-12-06T01:02:00Z',
        },
      ],
    }),
  );
  openPage();
  const trail = await screen.findByTestId(ALERTING_IDS.deliveryTrail);
  await waitFor(() => assert.equal(screen.getAllByTestId(ALERTING_IDS.deliveryOutcome).length, 3));
  const outcomes = screen.getAllByTestId(ALERTING_IDS.deliveryOutcome).map((o) => o.textContent);
  assert.deepEqual(outcomes, ['Call not answered', 'Delivered', 'Will retry'], 'newest first');
  const answers = screen.getAllByTestId(ALERTING_IDS.deliveryAnswer).map((a) => a.textContent);
  assert.deepEqual(answers, [
    'twilio:CA1: not-answered',
    'errcode 0: ok',
    'errcode 45009: api freq out of limit',
  ]);
  assert.match(trail.textContent ?? '', /WeCom group robot.*lilei/);
  const [call] = server.callsTo(routes.getWorkspaceAlertDeliveries);
  assert.deepEqual(call?.params, { workspace: 'ws-a', name: KEY });
});

test("a routed escalation's timeline is its own chain, with no policy read (no policy is named route/oncall)", async () => {
  server.on(review, answerReviews(true)).on(routes.getWorkspaceAlertEscalation, () =>
    ok({
      ...escalating,
      policy: 'pay-route/oncall',
      chain: {
        steps: [
          { receivers: ['pay-group', 'ops-robot'], waitSeconds: 300 },
          { receivers: ['phone'], waitSeconds: 0 },
        ],
        repeat: 0,
      },
    }),
  );
  openPage();
  const timeline = await screen.findByTestId(ALERTING_IDS.timeline);
  const steps = screen.getAllByTestId(ALERTING_IDS.timelineStep).map((s) => s.textContent ?? '');
  assert.equal(steps.length, 2);
  assert.match(steps[0]!, /pay-group, ops-robot/);
  assert.match(steps[1]!, /phone/);
  assert.match(timeline.textContent ?? '', /as this escalation started with them/);
  assert.equal(server.callsTo(routes.getWorkspaceEscalationPolicy).length, 0);
});
