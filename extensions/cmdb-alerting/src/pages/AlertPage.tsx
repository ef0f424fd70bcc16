import React, { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Button } from '@kubed/components';
import styled from 'styled-components';
import type { AlertEscalation, EscalationPolicy } from '@ks-gpu-ml/contracts';
import {
  EmptyState,
  ErrorState,
  LoadingState,
  localTime,
  t,
  useCallerMay,
  type ApiError,
} from '@ks-gpu-ml/ui';
import { accessOf, acknowledge, routesOf, useEscalation, usePolicy, type AlertingScope } from '../api.js';
import { BusinessCard } from '../components/business.js';
import { Badge, Card as KitCard, waitText } from '../components/kit.js';
import { DeliveryTrail } from '../components/DeliveryTrail.js';
import { Section } from '../components/Section.js';
import { timelineOf } from '../components/timeline.js';
import { ALERTING_IDS } from '../test-ids.js';

const Card = styled(KitCard)`
  dl {
    display: grid;
    grid-template-columns: 200px 1fr;
    gap: 8px 16px;
    margin: 0;
  }
  dt {
    color: #79879c;
  }
  dd {
    margin: 0;
  }
  ol {
    margin: 0;
    padding-left: 20px;
  }
  li {
    padding: 4px 0;
  }
`;

/** One alert's escalation: its state, the policy's steps as a timeline (sent, next, stopped), who acknowledged. */
export function AlertPage() {
  const { alertKey = '' } = useParams();
  return (
    <Section section="alerts" testId={ALERTING_IDS.alertPage} detail={alertKey}>
      {(scope) => <AlertDetail scope={scope} alertKey={alertKey} />}
    </Section>
  );
}

function AlertDetail({ scope, alertKey }: { scope: AlertingScope; alertKey: string }) {
  const escalation = useEscalation(scope, alertKey);
  const mayAck = useCallerMay(routesOf(scope).acknowledge, accessOf(scope));
  const [ackError, setAckError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  if (escalation.error?.status === 404)
    return (
      <div data-testid={ALERTING_IDS.escalationNone}>
        <EmptyState
          title={t('cmdb-alerting.alert.none')}
          description={t(`cmdb-alerting.alert.none.${scope.kind}`)}
        />
      </div>
    );
  if (escalation.error)
    return <ErrorState error={escalation.error} onRetry={() => void escalation.refetch()} />;
  const e = escalation.data;
  if (!e) return <LoadingState />;
  // A firing alert nobody acknowledged: still escalating, or every step sent (the backend acknowledges both).
  const open = e.state === 'escalating' || e.state === 'exhausted';
  const canAck = open && (scope.kind === 'cluster' || mayAck === true);
  const ack = async () => {
    setBusy(true);
    setAckError(undefined);
    try {
      await acknowledge(scope, alertKey);
    } catch (err) {
      setAckError(err as ApiError);
    } finally {
      setBusy(false);
    }
    await escalation.refetch();
  };
  return (
    <>
      <Card>
        <dl>
          <dt>{t('cmdb-alerting.alert.state')}</dt>
          <dd>
            <span data-testid={ALERTING_IDS.escalationState}>
              <Badge value={e.state} label={t(`cmdb-alerting.state.${e.state}`)} />
            </span>{' '}
            {canAck && (
              <Button
                size="sm"
                color="secondary"
                disabled={busy}
                data-testid={ALERTING_IDS.acknowledge}
                onClick={() => void ack()}
              >
                {t('cmdb-alerting.alert.acknowledge')}
              </Button>
            )}
          </dd>
          <dt>{t('cmdb-alerting.alert.policy')}</dt>
          <dd>
            {e.policy}
            {e.workspace
              ? ` (${t('cmdb-alerting.alert.ofWorkspace', { workspace: e.workspace })})`
              : ` (${t('cmdb-alerting.alert.ofCluster')})`}
          </dd>
          <dt>{t('cmdb-alerting.alert.stepsSent')}</dt>
          <dd>{e.stepsSent}</dd>
          <dt>{t('cmdb-alerting.alert.acknowledgedBy')}</dt>
          <dd data-testid={ALERTING_IDS.acknowledgedBy}>
            {e.acknowledgedBy.length ? e.acknowledgedBy.join(', ') : '-'}
          </dd>
          <dt>{t('cmdb-alerting.alert.notified')}</dt>
          <dd>{e.notified.length ? e.notified.join(', ') : '-'}</dd>
          {e.nextStepAt && (
            <>
              <dt>{t('cmdb-alerting.alert.nextStepAt')}</dt>
              <dd>{localTime(e.nextStepAt)}</dd>
            </>
          )}
          <dt>{t('cmdb-alerting.alert.key')}</dt>
          <dd style={{ fontFamily: 'monospace' }}>{e.alertKey}</dd>
        </dl>
        {ackError && (
          <div style={{ marginTop: 12 }} data-testid={ALERTING_IDS.actionError}>
            <ErrorState error={ackError} title={t('cmdb-alerting.alert.ackFailed')} />
          </div>
        )}
      </Card>
      {e.business && <BusinessCard business={e.business} />}
      <Timeline scope={scope} escalation={e} />
      <DeliveryTrail scope={scope} alertKey={alertKey} />
    </>
  );
}

/** The steps the escalation runs, unrolled over its rounds: its own snapshot, else the policy as it reads now. */
function Timeline({ scope, escalation }: { scope: AlertingScope; escalation: AlertEscalation }) {
  if (escalation.chain)
    return <TimelineCard chain={escalation.chain} escalation={escalation} note="cmdb-alerting.alert.chain" />;
  return <PolicyTimeline scope={scope} escalation={escalation} />;
}

/** For an escalation view without its chain: read from the policy of the scope that escalates it, when the caller may. */
function PolicyTimeline({ scope, escalation }: { scope: AlertingScope; escalation: AlertEscalation }) {
  const policyScope: AlertingScope = escalation.workspace
    ? { kind: 'workspace', workspace: escalation.workspace }
    : { kind: 'cluster', cluster: scope.kind === 'cluster' ? scope.cluster : undefined };
  const mayRead = useCallerMay(routesOf(policyScope).policies.get, accessOf(policyScope));
  const allowed = scope.kind === 'cluster' || mayRead === true;
  const policy = usePolicy(policyScope, escalation.policy, allowed && policyScope.kind === scope.kind);
  if (!allowed || policyScope.kind !== scope.kind) return null;
  if (policy.error)
    return <ErrorState error={policy.error} title={t('cmdb-alerting.alert.policyUnreadable')} />;
  if (!policy.data) return <LoadingState />;
  return <TimelineCard chain={policy.data} escalation={escalation} note="cmdb-alerting.alert.snapshot" />;
}

function TimelineCard(props: {
  chain: Pick<EscalationPolicy, 'steps' | 'repeat'>;
  escalation: AlertEscalation;
  note: string;
}) {
  const steps = timelineOf(props.chain, props.escalation);
  return (
    <Card data-testid={ALERTING_IDS.timeline}>
      <h2>{t('cmdb-alerting.alert.timeline')}</h2>
      <ol>
        {steps.map((s) => (
          <li key={s.seq} data-testid={ALERTING_IDS.timelineStep}>
            <Badge
              value={s.status === 'sent' ? 'resolved' : s.status === 'next' ? 'pending' : 'expired'}
              label={t(`cmdb-alerting.step.${s.status}`)}
            />{' '}
            {t('cmdb-alerting.step.text', {
              round: s.round,
              step: s.step,
              receivers: s.receivers.join(', '),
            })}
            {s.acksRequired > 1 ? ` · ${t('cmdb-alerting.step.acks', { count: s.acksRequired })}` : ''}
            {s.dueAt ? ` · ${t('cmdb-alerting.step.due', { time: localTime(s.dueAt) })}` : ''}
            {` · ${t('cmdb-alerting.step.wait', { wait: waitText(s.waitSeconds) })}`}
          </li>
        ))}
      </ol>
      <div style={{ fontSize: 12, color: '#79879c', marginTop: 8 }}>{t(props.note)}</div>
    </Card>
  );
}
