// The frame of a project's ML app page (notebooks, training jobs): header with the project's other pages, the
// operator check (what to install when the cluster does not serve the kind), and a create panel that loads the
// form's options only when opened. The page's own list and form are its children.
import React, { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Button } from '@kubed/components';
import type { MlOperatorId, NotebookOptions } from '@ks-gpu-ml/contracts';
import { ErrorState, LoadingState } from '@ks-gpu-ml/ui';
import { useNotebookOptions, useOperators } from '../api.js';
import { OperatorMissing } from './OperatorMissing.js';
import { Page } from './Page.js';
import { SectionHeader } from './SectionHeader.js';

export interface SectionScope {
  namespace: string;
  cluster: string | undefined;
}

export function ProjectSection(props: {
  operator: MlOperatorId;
  section: 'notebooks' | 'trainjobs';
  testId: string;
  children: (scope: SectionScope) => React.ReactNode;
  /** Shown below whether or not the operator is installed (kinds of other operators). */
  after?: (scope: SectionScope) => React.ReactNode;
}) {
  const { cluster, workspace = '', namespace = '' } = useParams();
  const operators = useOperators(cluster);
  const operator = operators.data?.items.find((o) => o.id === props.operator);
  const { section } = props;
  return (
    <Page data-testid={props.testId}>
      <SectionHeader section={section} workspace={workspace} namespace={namespace} cluster={cluster} />
      {operators.error ? (
        <ErrorState error={operators.error} onRetry={() => void operators.refetch()} />
      ) : !operator ? (
        <LoadingState />
      ) : !operator.installed ? (
        <OperatorMissing operator={operator} />
      ) : (
        props.children({ namespace, cluster })
      )}
      {props.after?.({ namespace, cluster })}
    </Page>
  );
}

/** A button that opens the create form; the form's options (images, GPUs, claims) are read when it opens. */
export function CreatePanel(props: {
  scope: SectionScope;
  label: string;
  testId: string;
  form: (options: NotebookOptions, close: (created: boolean) => void) => React.ReactNode;
  onCreated: () => void;
}) {
  const [open, setOpen] = useState(false);
  const options = useNotebookOptions(props.scope.namespace, props.scope.cluster, open);
  if (!open) {
    return (
      <div>
        <Button color="secondary" data-testid={props.testId} onClick={() => setOpen(true)}>
          {props.label}
        </Button>
      </div>
    );
  }
  if (options.error) return <ErrorState error={options.error} onRetry={() => void options.refetch()} />;
  if (!options.data) return <LoadingState />;
  return (
    <>
      {props.form(options.data, (created) => {
        setOpen(false);
        if (created) props.onCreated();
      })}
    </>
  );
}
