// The frame the ML app pages' component tests share: each page served with its operator installed (and, for the
// notebooks page, GPU idle culling off), mounted at its project URL, its rows found by name, and gpu-monitoring
// installed for a test that needs it. Under testing/: no extension entry imports it, so no bundle holds it.
import React from 'react';
import { screen } from '@testing-library/react';
import {
  gpuMonitoringRoutes,
  mlAppsRoutes,
  platformRoutesOfGroup,
  type MlOperator,
} from '@ks-gpu-ml/contracts';
import { ok, type ContractServer } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { NotebooksPage } from '../pages/NotebooksPage.js';
import { ServingPage } from '../pages/ServingPage.js';
import { TrainJobsPage } from '../pages/TrainJobsPage.js';
import { answerReview } from './review.js';

const OPERATORS = {
  notebooks: {
    id: 'notebooks',
    group: 'kubeflow.org',
    version: 'v1',
    kind: 'Notebook',
    resource: 'notebooks',
  },
  serving: {
    id: 'inferenceservices',
    group: 'serving.kserve.io',
    version: 'v1beta1',
    kind: 'InferenceService',
    resource: 'inferenceservices',
  },
  trainjobs: {
    id: 'trainjobs',
    group: 'trainer.kubeflow.org',
    version: 'v1alpha1',
    kind: 'TrainJob',
    resource: 'trainjobs',
  },
} as const;

/** A page of a project, named by the last segment of its URL. */
export type MlPage = keyof typeof OPERATORS;

const PAGES: Record<MlPage, () => React.ReactElement> = {
  notebooks: () => <NotebooksPage />,
  serving: () => <ServingPage />,
  trainjobs: () => <TrainJobsPage />,
};

/** The operator a page lists its objects through (Kubeflow Notebooks, KServe, Kubeflow Trainer). */
export const operatorOf = (page: MlPage, installed = true): MlOperator => ({ ...OPERATORS[page], installed });

/**
 * One server for a page's test file: before each test the page's operator installed (the notebooks page also
 * with culling off, NotebookCulling.test.tsx covers it on), then what `more` answers, which may replace either.
 */
export function servePage(page: MlPage, more: (server: ContractServer) => void): ContractServer {
  return serveEachTest(locales, (s) => {
    s.on(mlAppsRoutes.listOperators, () => ok({ items: [operatorOf(page)] }));
    // A project member who may edit, unless a test answers the review otherwise (docs/adr/0020).
    answerReview(s, true);
    if (page === 'notebooks')
      s.on(mlAppsRoutes.getNotebookCullPolicy, () =>
        ok({
          workspace: 'ws-a',
          policy: { enabled: false, idleHours: 24, warnMinutes: 60 },
          warnedBy: 'event' as const,
        }),
      );
    more(s);
  });
}

/** Mounts the page as project team-a of workspace ws-a shows it. */
export const openPage = (page: MlPage) =>
  renderPage(PAGES[page](), {
    path: `/workspaces/:workspace/ml-apps/projects/:namespace/${page}`,
    at: `/workspaces/ws-a/ml-apps/projects/team-a/${page}`,
  });

/** Finds the table row whose cell of test id `rowId` holds exactly the name asked for. */
export const rowFinder =
  (rowId: string) =>
  async (name: string): Promise<HTMLTableRowElement> =>
    (await screen.findAllByTestId(rowId)).find((el) => el.textContent === name)!.closest('tr')!;

const monitoring = platformRoutesOfGroup(gpuMonitoringRoutes.getProjectUsage.group);

/**
 * Runs `body` with gpu-monitoring installed beside ml-apps in the console's globals (removed after) and the
 * caller allowed to read its figures in team-a, where it may see no other page of gpu-monitoring.
 */
export async function withGpuMonitoring(server: ContractServer, body: () => Promise<void>): Promise<void> {
  server
    .on(monitoring.createSelfAccessReview, () => ok({ allowed: true }))
    // The page's project links ask what the caller may see there.
    .on(monitoring.listNamespaceCapabilities, () =>
      ok({ scope: 'namespace', scopeName: 'team-a', items: [] }),
    );
  (globalThis as { globals?: unknown }).globals = {
    installedExtensions: [{ extensionName: 'ml-apps' }, { extensionName: 'gpu-monitoring' }],
  };
  try {
    await body();
  } finally {
    delete (globalThis as { globals?: unknown }).globals;
  }
}
