// The frame of the Models and Serving pages: the header with the project's other ML pages, and for Serving the
// operator check (what to install when the cluster does not serve InferenceServices). The registry needs no
// operator: it lives in the backend's store.
import React from 'react';
import { useParams } from 'react-router-dom';
import { ErrorState, LoadingState } from '@ks-gpu-ml/ui';
import { useOperators } from '../api.js';
import { OperatorMissing } from './OperatorMissing.js';
import { Page } from './Page.js';
import { SectionHeader } from './SectionHeader.js';

export interface ServingScope {
  workspace: string;
  namespace: string;
  cluster: string | undefined;
}

function OperatorGate(props: { cluster: string | undefined; children: React.ReactNode }) {
  const operators = useOperators(props.cluster);
  const kserve = operators.data?.items.find((o) => o.id === 'inferenceservices');
  if (operators.error) return <ErrorState error={operators.error} onRetry={() => void operators.refetch()} />;
  if (!kserve) return <LoadingState />;
  if (!kserve.installed) return <OperatorMissing operator={kserve} />;
  return <>{props.children}</>;
}

export function ServingFrame(props: {
  section: 'models' | 'serving';
  testId: string;
  children: (scope: ServingScope) => React.ReactNode;
}) {
  const { cluster, workspace = '', namespace = '' } = useParams();
  const { section } = props;
  const scope = { workspace, namespace, cluster };
  return (
    <Page data-testid={props.testId}>
      <SectionHeader section={section} workspace={workspace} namespace={namespace} cluster={cluster} />
      {section === 'serving' ? (
        <OperatorGate cluster={cluster}>{props.children(scope)}</OperatorGate>
      ) : (
        props.children(scope)
      )}
    </Page>
  );
}
