import React from 'react';
import type { RoutingPolicy } from '@ks-gpu-ml/contracts';
import { DataTable, t } from '@ks-gpu-ml/ui';
import { usePolicies, useReceivers, type AlertingScope } from '../api.js';
import { EditableList, editDeleteColumn, nameColumn } from '../components/EditableList.js';
import { RoutingForm } from '../components/RoutingForm.js';
import { matchText } from '../components/routing-drafts.js';
import { Section } from '../components/Section.js';
import { deleteRoutingPolicy, useRoutingPolicies } from '../routing-api.js';
import { ROUTING_IDS } from '../routing-test-ids.js';

/** Routing policies by business, in the order they are tried: what they take, when, and to whom. */
export function RoutingPage() {
  return (
    <Section section="routing" testId={ROUTING_IDS.routingPage}>
      {(scope) => <Routing scope={scope} />}
    </Section>
  );
}

const whenText = (p: RoutingPolicy) => {
  if (!p.window) return t('cmdb-alerting.routing.always');
  const w = p.window;
  const span = `${w.days.map((d) => t(`cmdb-alerting.routing.day.${d}`)).join(' ')} ${w.start}–${w.end} (${w.timeZone})`;
  return w.outside ? t('cmdb-alerting.routing.outsideOf', { span }) : span;
};
const toWhom = (p: RoutingPolicy) =>
  [p.receivers.join(', '), p.escalationPolicy ? `→ ${p.escalationPolicy}` : ''].filter(Boolean).join(' ') ||
  t('cmdb-alerting.routing.nobody');

function Routing({ scope }: { scope: AlertingScope }) {
  const cluster = scope.kind === 'cluster' ? scope.cluster : undefined;
  const receivers = useReceivers(scope);
  const policies = usePolicies(scope);
  return (
    <EditableList
      query={useRoutingPolicies(cluster)}
      newTestId={ROUTING_IDS.newRouting}
      newLabel={t('cmdb-alerting.routing.new')}
      form={(editing, on) => (
        <RoutingForm
          key={editing === 'new' ? '' : editing.name}
          cluster={cluster}
          {...(editing === 'new' ? {} : { policy: editing })}
          receiverNames={(receivers.data?.items ?? []).map((r) => r.name)}
          policyNames={(policies.data?.items ?? []).map((p) => p.name)}
          {...on}
        />
      )}
      table={(rows, actions) => (
        <DataTable
          columns={[
            nameColumn(ROUTING_IDS.routingRow),
            {
              key: 'priority',
              title: t('cmdb-alerting.routing.priority'),
              render: (p) => (p.default ? t('cmdb-alerting.routing.default') : String(p.priority)),
            },
            {
              key: 'match',
              title: t('cmdb-alerting.column.matchLabels'),
              render: (p) =>
                matchText(
                  p,
                  t('cmdb-alerting.routing.unownedBucket'),
                  t('cmdb-alerting.policies.everyAlert'),
                ),
            },
            { key: 'when', title: t('cmdb-alerting.routing.when'), render: whenText },
            { key: 'to', title: t('cmdb-alerting.routing.to'), render: toWhom },
            editDeleteColumn({
              editTestId: ROUTING_IDS.editRouting,
              deleteTestId: ROUTING_IDS.deleteRouting,
              question: (name) => t('cmdb-alerting.routing.confirmDelete', { name }),
              remove: (name) => deleteRoutingPolicy(cluster, name),
              actions,
            }),
          ]}
          rows={rows}
          rowKey={(r) => r.name}
          searchText={(p) => `${p.name} ${p.description ?? ''} ${matchText(p, 'unowned', '')} ${toWhom(p)}`}
          emptyTitle={t('cmdb-alerting.routing.empty')}
        />
      )}
    />
  );
}
