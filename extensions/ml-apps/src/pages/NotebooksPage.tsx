import React from 'react';
import { mlAppsRoutes, type Notebook } from '@ks-gpu-ml/contracts';
import { actionsColumn, t } from '@ks-gpu-ml/ui';
import { deleteNotebook, setNotebookStopped, useNotebooks } from '../api.js';
import { InspectButton, type InspectedApp } from '../components/AppInspector.js';
import { AppList } from '../components/AppList.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { NotebookForm } from '../components/NotebookForm.js';
import { OpenNotebookButton, opensHere } from '../components/OpenNotebookButton.js';
import { ageText, cpuText, gpusText, memoryText } from '../components/notebook-format.js';
import { ProjectSection, type SectionScope } from '../components/ProjectSection.js';
import { ML_IDS } from '../test-ids.js';
import { NotebookCulling } from '../components/NotebookCulling.js';
import { ageColumn, gpuHoursColumn, nameColumn, statusColumn } from '../components/columns.js';
import { gpuUseColumn, useProjectGpuUse } from '../components/gpu-use.js';
import { useRights, type Rights } from '../components/rights.js';

/** The pod of a notebook: Kubeflow's controller runs it as the one replica of a StatefulSet of the same name. */
const notebookPods = (nb: Notebook) => [`${nb.name}-0`];

/**
 * Open (when `open`), stop / start (when the caller may update) and delete (when it may delete), each of the last
 * asked to confirm first.
 */
function Actions(props: {
  nb: Notebook;
  open: boolean;
  may: Rights;
  act: (action: 'stop' | 'start' | 'delete', nb: Notebook) => void;
  inspect: (app: InspectedApp) => void;
}) {
  const { nb } = props;
  const toggle = nb.status.phase === 'stopped' ? 'start' : 'stop';
  return (
    <span>
      {props.open && (
        <>
          <OpenNotebookButton nb={nb} />{' '}
        </>
      )}
      {props.may.update && (
        <>
          <ConfirmButton
            label={t(`ml-apps.action.${toggle}`)}
            question={t(`ml-apps.confirm.${toggle}`, { name: nb.name })}
            testId={toggle === 'start' ? ML_IDS.start : ML_IDS.stop}
            onConfirm={() => props.act(toggle, nb)}
          />{' '}
        </>
      )}
      {props.may.delete && (
        <>
          <ConfirmButton
            label={t('ml-apps.action.delete')}
            question={t('ml-apps.confirm.delete', { name: nb.name })}
            testId={ML_IDS.remove}
            onConfirm={() => props.act('delete', nb)}
          />{' '}
        </>
      )}
      <InspectButton app={{ kind: 'Notebook', name: nb.name }} onInspect={props.inspect} />
    </span>
  );
}

/**
 * A project's notebooks: status (waiting with the real reason), GPUs and their live use, CPU, memory, age; create,
 * open, stop/start, delete.
 */
export function NotebooksPage() {
  return (
    <ProjectSection operator="notebooks" section="notebooks" testId={ML_IDS.notebooksPage}>
      {(scope) => (
        <>
          <NotebookCulling scope={scope} />
          <Notebooks scope={scope} />
        </>
      )}
    </ProjectSection>
  );
}

function Notebooks({ scope }: { scope: SectionScope }) {
  const { namespace, cluster } = scope;
  const notebooks = useNotebooks(namespace, cluster);
  const gpuUse = useProjectGpuUse(scope);
  // Open is offered to whoever may stop or start the notebook: what the backend's proxy checks (docs/adr/0046).
  const may = useRights(scope, {
    create: mlAppsRoutes.createNotebook,
    update: mlAppsRoutes.updateNotebook,
    delete: mlAppsRoutes.deleteNotebook,
  });
  return (
    <AppList
      scope={scope}
      list={notebooks}
      create={
        may.create
          ? {
              label: t('ml-apps.notebooks.new'),
              testId: ML_IDS.newNotebook,
              form: (form) => <NotebookForm {...form} />,
            }
          : undefined
      }
      columns={({ act, inspect }) => [
        nameColumn(ML_IDS.notebookRow),
        statusColumn(),
        { key: 'gpus', title: t('ml-apps.column.gpus'), render: gpusText },
        ...(gpuUse ? [gpuUseColumn(gpuUse, notebookPods)] : []),
        gpuHoursColumn(),
        { key: 'cpu', title: t('ml-apps.column.cpu'), render: cpuText, sortValue: (nb) => nb.cpu },
        {
          key: 'memory',
          title: t('ml-apps.column.memory'),
          render: memoryText,
          sortValue: (nb) => nb.memoryBytes,
        },
        {
          key: 'lastActivity',
          title: t('ml-apps.column.lastActivity'),
          render: (nb) => (nb.lastActivity ? ageText(nb.lastActivity) : '-'),
          sortValue: (nb) => nb.lastActivity ?? '',
        },
        ageColumn(),
        actionsColumn((nb) => (
          <Actions
            nb={nb}
            open={opensHere(nb, may.update, cluster)}
            may={may}
            act={(action, n) =>
              void act(() =>
                action === 'delete'
                  ? deleteNotebook(namespace, n.name, cluster)
                  : setNotebookStopped(namespace, n.name, cluster, action === 'stop'),
              )
            }
            inspect={inspect}
          />
        )),
      ]}
      table={{
        rowKey: (nb) => nb.name,
        searchText: (nb) => `${nb.name} ${nb.image}`,
        emptyTitle: t('ml-apps.notebooks.empty'),
      }}
    />
  );
}
