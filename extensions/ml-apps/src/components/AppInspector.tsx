// A notebook's or training job's events (its own, its StatefulSet's or JobSet's, its pods': the scheduler's, quota
// admission's and the kubelet's words) and a pod's log, per replica: the panel a row's "Logs and events" opens.
import React, { useState } from 'react';
import { Button } from '@kubed/components';
import type { MlAppKind } from '@ks-gpu-ml/contracts';
import { ChoiceSelect, DataTable, ErrorState, LoadingState, t } from '@ks-gpu-ml/ui';
import { useAppEvents, usePodLog } from '../api.js';
import { ML_IDS } from '../test-ids.js';
import { ageText } from './notebook-format.js';

export interface InspectedApp {
  kind: MlAppKind;
  name: string;
}

/** The row action that opens the panel. */
export function InspectButton(props: { app: InspectedApp; onInspect: (app: InspectedApp) => void }) {
  return (
    <Button size="sm" data-testid={ML_IDS.inspect} onClick={() => props.onInspect(props.app)}>
      {t('ml-apps.inspect.open')}
    </Button>
  );
}

function PodLogView(props: {
  namespace: string;
  cluster: string | undefined;
  pod: string;
  container: string;
}) {
  const log = usePodLog(props.namespace, props.pod, props.container, props.cluster);
  if (log.error) return <ErrorState error={log.error} onRetry={() => void log.refetch()} />;
  if (!log.data) return <LoadingState />;
  return (
    <pre
      data-testid={ML_IDS.podLog}
      style={{ maxHeight: 400, overflow: 'auto', background: '#f9fbfd', padding: 8 }}
    >
      {log.data.log || t('ml-apps.inspect.emptyLog')}
    </pre>
  );
}

export function AppInspector(props: {
  namespace: string;
  cluster: string | undefined;
  app: InspectedApp;
  onClose: () => void;
}) {
  const { namespace, cluster, app } = props;
  const events = useAppEvents(namespace, app.kind, app.name, cluster);
  const [pod, setPod] = useState('');
  const [container, setContainer] = useState('');
  const pods = events.data?.pods ?? [];
  const containers = pods.find((p) => p.name === pod)?.containers ?? [];
  return (
    <section data-testid={ML_IDS.inspector} style={{ background: '#fff', padding: 12, marginTop: 12 }}>
      <h3>
        {t('ml-apps.inspect.title', { kind: app.kind, name: app.name })}{' '}
        <Button size="sm" onClick={props.onClose}>
          {t('ml-apps.inspect.close')}
        </Button>
      </h3>
      <h4>{t('ml-apps.inspect.events')}</h4>
      {events.error ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : !events.data ? (
        <LoadingState />
      ) : (
        <DataTable
          columns={[
            { key: 'type', title: t('ml-apps.inspect.type'), render: (e) => e.type },
            { key: 'reason', title: t('ml-apps.inspect.reason'), render: (e) => e.reason },
            { key: 'object', title: t('ml-apps.inspect.object'), render: (e) => e.object },
            {
              key: 'message',
              title: t('ml-apps.inspect.message'),
              render: (e) => <span data-testid={ML_IDS.eventMessage}>{e.message}</span>,
            },
            { key: 'count', title: t('ml-apps.inspect.count'), render: (e) => String(e.count) },
            {
              key: 'lastSeen',
              title: t('ml-apps.column.age'),
              render: (e) => (e.lastSeen ? ageText(e.lastSeen) : '-'),
            },
          ]}
          rows={events.data.items}
          rowKey={(e) => `${e.object}/${e.reason}/${e.lastSeen}/${e.message}`}
          searchText={(e) => `${e.reason} ${e.object} ${e.message}`}
          emptyTitle={t('ml-apps.inspect.noEvents')}
        />
      )}
      <h4>{t('ml-apps.inspect.logs')}</h4>
      {events.data && pods.length === 0 ? (
        <p>{t('ml-apps.inspect.noPods')}</p>
      ) : (
        <p>
          <label htmlFor="inspect-pod">{t('ml-apps.inspect.pod')}</label>{' '}
          <ChoiceSelect
            id="inspect-pod"
            testId={ML_IDS.logPod}
            value={pod}
            choices={['', ...pods.map((p) => p.name)]}
            label={(name) => name || t('ml-apps.inspect.choosePod')}
            onChange={(name) => {
              setPod(name);
              setContainer('');
            }}
          />{' '}
          {containers.length > 1 && (
            <>
              <label htmlFor="inspect-container">{t('ml-apps.inspect.container')}</label>{' '}
              <ChoiceSelect
                id="inspect-container"
                value={container}
                choices={containers}
                label={(c) => c}
                onChange={setContainer}
              />
            </>
          )}
        </p>
      )}
      {pod && <PodLogView namespace={namespace} cluster={cluster} pod={pod} container={container} />}
    </section>
  );
}

/**
 * The inspected app and its panel, which the notebooks, TrainJobs and training-jobs lists had each written: `inspect`
 * goes to an InspectButton, `inspector` below the table.
 */
export function useAppInspector(scope: { namespace: string; cluster: string | undefined }) {
  const [inspected, setInspected] = useState<InspectedApp>();
  const inspector = inspected && (
    <AppInspector
      namespace={scope.namespace}
      cluster={scope.cluster}
      app={inspected}
      onClose={() => setInspected(undefined)}
    />
  );
  return { inspect: setInspected, inspector };
}
