import React, { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button } from '@kubed/components';
import {
  actionsColumn,
  DataTable,
  ErrorState,
  LoadingState,
  PlatformOverview,
  t,
  valueColumn,
} from '@ks-gpu-ml/ui';
import { basePath, useAlerts, useEscalation, type AlertingScope } from '../api.js';
import { ageOf, alertRows, severityRank, silenceMatchers, type AlertRow } from '../components/alerts.js';
import { BusinessText } from '../components/business.js';
import { Badge, Form, Hint } from '../components/kit.js';
import { Section } from '../components/Section.js';
import { WorkspaceAlerts } from '../components/WorkspaceAlerts.js';
import { ALERTING_IDS } from '../test-ids.js';

/**
 * Alerts: at the cluster, every alert the intake recorded (severity, status, namespace, business, its escalation's
 * step and who acknowledged); in a workspace, the alerts its policy escalates are opened by their key, the one
 * every message carries (the API lists alerts at the cluster only).
 */
export function AlertsPage() {
  return (
    <Section section="alerts" testId={ALERTING_IDS.alertsPage}>
      {(scope) =>
        scope.kind === 'cluster' ? (
          <ClusterAlerts scope={scope} />
        ) : (
          <>
            <WorkspaceAlerts workspace={scope.workspace} />
            <AlertLookup scope={scope} />
            {/* The feature's status and the caller's permissions per project (docs/adr/0026). */}
            <PlatformOverview feature="cmdb-alerting" workspace={scope.workspace} />
          </>
        )
      }
    </Section>
  );
}

/** The escalation columns of one visible row: asked per row, so only the rows on screen are asked. */
function EscalationCell({ scope, row, part }: { scope: AlertingScope; row: AlertRow; part: 'step' | 'ack' }) {
  const escalation = useEscalation(scope, row.key, true);
  if (escalation.error)
    return <span>{escalation.error.status === 404 ? t('cmdb-alerting.alerts.noPolicy') : '-'}</span>;
  const e = escalation.data;
  if (!e) return <span>…</span>;
  if (part === 'ack') return <span>{e.acknowledgedBy.length ? e.acknowledgedBy.join(', ') : '-'}</span>;
  return (
    <span>
      <Badge value={e.state} label={t(`cmdb-alerting.state.${e.state}`)} />{' '}
      {t('cmdb-alerting.alerts.stepsSent', { count: e.stepsSent, policy: e.policy })}
    </span>
  );
}

/**
 * A business column of one visible row: the system, importance or owners the alert's escalation resolved, the rule
 * that set it as the tooltip (the same request as the escalation columns: one per row); a label before that.
 */
function BusinessCell(props: {
  scope: AlertingScope;
  row: AlertRow;
  part: 'system' | 'importance' | 'owners';
}) {
  const escalation = useEscalation(props.scope, props.row.key, true);
  return (
    <BusinessText
      business={escalation.data?.business}
      part={props.part}
      {...(props.part === 'system' ? { fallback: props.row.business } : {})}
    />
  );
}

function ClusterAlerts({ scope }: { scope: Extract<AlertingScope, { kind: 'cluster' }> }) {
  const alerts = useAlerts(scope.cluster);
  const rows = useMemo(() => alertRows(alerts.data?.items ?? []), [alerts.data]);
  if (alerts.error) return <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />;
  if (!alerts.data) return <LoadingState />;
  return (
    <DataTable
      columns={[
        {
          key: 'alertname',
          title: t('cmdb-alerting.column.alert'),
          render: (r) => (
            <Link to={`${basePath(scope)}/alerts/${r.key}`} data-testid={ALERTING_IDS.alertLink}>
              <span data-testid={ALERTING_IDS.alertRow}>{r.alertname || r.key}</span>
            </Link>
          ),
          sortValue: (r) => r.alertname,
        },
        {
          key: 'severity',
          title: t('cmdb-alerting.column.severity'),
          render: (r) => (r.severity ? <Badge value={r.severity} /> : '-'),
          sortValue: (r) => severityRank(r.severity),
        },
        {
          key: 'status',
          title: t('cmdb-alerting.column.status'),
          render: (r) => <Badge value={r.status} label={t(`cmdb-alerting.status.${r.status}`)} />,
          sortValue: (r) => r.status,
        },
        // An alert without a namespace label has '' (alertRows): shown as '-' and sorted last, as none is.
        valueColumn(
          'namespace',
          t('cmdb-alerting.column.namespace'),
          (r: AlertRow) => r.namespace || undefined,
        ),
        {
          key: 'business',
          title: t('cmdb-alerting.column.business'),
          render: (r) => <BusinessCell scope={scope} row={r} part="system" />,
          sortValue: (r) => r.business,
        },
        {
          key: 'importance',
          title: t('cmdb-alerting.column.importance'),
          render: (r) => <BusinessCell scope={scope} row={r} part="importance" />,
        },
        {
          key: 'owners',
          title: t('cmdb-alerting.column.owners'),
          render: (r) => <BusinessCell scope={scope} row={r} part="owners" />,
        },
        {
          key: 'escalation',
          title: t('cmdb-alerting.column.escalation'),
          render: (r) => <EscalationCell scope={scope} row={r} part="step" />,
        },
        {
          key: 'ack',
          title: t('cmdb-alerting.column.acknowledgedBy'),
          render: (r) => <EscalationCell scope={scope} row={r} part="ack" />,
        },
        actionsColumn((r: AlertRow) =>
          r.status === 'firing' ? (
            <Link
              to={`${basePath(scope)}/silences?${new URLSearchParams({ matchers: silenceMatchers(r) }).toString()}`}
              data-testid={ALERTING_IDS.silenceAlert}
            >
              {t('cmdb-alerting.alerts.silence')}
            </Link>
          ) : null,
        ),
        {
          key: 'age',
          title: t('cmdb-alerting.column.started'),
          render: (r) => ageOf(r.startsAt),
          sortValue: (r) => r.startsAt,
        },
      ]}
      rows={rows}
      rowKey={(r) => r.key}
      searchText={(r) =>
        `${r.alertname} ${r.severity} ${r.namespace} ${r.business} ${Object.values(r.labels).join(' ')}`
      }
      initialSort={{ key: 'age', direction: 'desc' }}
      emptyTitle={t('cmdb-alerting.alerts.empty')}
    />
  );
}

const KEY = /^[0-9a-f]{1,64}-[0-9]{1,12}$/;

export function AlertLookup({ scope }: { scope: AlertingScope }) {
  const navigate = useNavigate();
  const [key, setKey] = useState('');
  const [bad, setBad] = useState(false);
  return (
    <Form
      data-testid={ALERTING_IDS.alertLookup}
      onSubmit={(e) => {
        e.preventDefault();
        if (!KEY.test(key.trim())) return setBad(true);
        navigate(`${basePath(scope)}/alerts/${key.trim()}`);
      }}
    >
      <label htmlFor="alert-key">{t('cmdb-alerting.lookup.label')}</label>
      <input
        id="alert-key"
        value={key}
        aria-invalid={bad}
        onChange={(e) => (setKey(e.target.value), setBad(false))}
      />
      <Hint>
        {bad ? (
          <span style={{ color: '#ca2621' }}>{t('cmdb-alerting.invalid.alertKey')}</span>
        ) : (
          t('cmdb-alerting.lookup.hint')
        )}
      </Hint>
      <span />
      <span>
        <Button type="submit" color="secondary" data-testid={ALERTING_IDS.alertLookupGo}>
          {t('cmdb-alerting.lookup.open')}
        </Button>
      </span>
    </Form>
  );
}
