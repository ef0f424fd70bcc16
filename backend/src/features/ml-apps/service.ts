// The ml-apps service composes: the client, the platform's curated images, and one module per job (operators,
// the notebook and TrainJob views, each create with its pre-check). Every call first checks that the cluster
// serves its kind, so a missing operator is a 404 saying what to install, not a 502.
import type {
  MlAppEventList,
  MlAppKind,
  MlOperatorId,
  MlOperatorList,
  Notebook,
  NotebookCreate,
  NotebookList,
  NotebookOptions,
  PodLog,
  PodLogQuery,
  TrainJob,
  TrainJobCreate,
  TrainingJob,
  TrainingJobCreate,
  TrainingJobKind,
  TrainingJobList,
} from '@ks-gpu-ml/contracts';
import type { V1Pod } from '@kubernetes/client-node';
import type {
  KubeNotebook,
  KubeTrainingJob,
  KubeTrainJob,
  KubeWorkload,
  MlAppsKube,
} from '../../clients/ml-apps-kube.js';
import { AppError } from '../../core/errors.js';
import { APP_POD_LABELS, appEvents, podLabelOf } from './app-events.js';
import { queuePositions, positionOf, type QueuePositions } from './kueue-position.js';
import { kueueView, workloadOf } from './kueue-status.js';
import { createNotebook } from './notebook-create.js';
import { CULLED_AT_ANNOTATION } from './notebook-cull.js';
import { notebookOptions } from './notebook-options.js';
import { NOTEBOOK_POD_LABEL, STOPPED_ANNOTATION } from './notebook-status.js';
import { notebookView } from './notebook-view.js';
import { listOperators, operatorKind, servedVersion } from './operators.js';
import { createTrainJob } from './trainjob-create.js';
import { JOBSET_NAME_LABEL } from './trainjob-manifest.js';
import { createTrainingJob } from './training-job-create.js';
import { V1_KINDS } from './training-job-manifest.js';
import { JOB_NAME_LABEL, trainingJobView } from './training-job-view.js';
import { trainJobView } from './trainjob-view.js';

export interface MlAppsService {
  listOperators(): Promise<MlOperatorList>;
  listNotebooks(namespace: string): Promise<NotebookList>;
  notebookOptions(namespace: string): Promise<NotebookOptions>;
  createNotebook(namespace: string, input: NotebookCreate, creator: string): Promise<Notebook>;
  setStopped(namespace: string, name: string, stopped: boolean): Promise<Notebook>;
  deleteNotebook(namespace: string, name: string): Promise<{ name: string }>;
  listTrainJobs(namespace: string): Promise<{ items: TrainJob[] }>;
  listTrainingJobs(namespace: string): Promise<TrainingJobList>;
  createTrainJob(namespace: string, input: TrainJobCreate, creator: string): Promise<TrainJob>;
  deleteTrainJob(namespace: string, name: string): Promise<{ name: string }>;
  createTrainingJob(namespace: string, input: TrainingJobCreate, creator: string): Promise<TrainingJob>;
  deleteTrainingJob(namespace: string, name: string, kind: TrainingJobKind): Promise<{ name: string }>;
  appEvents(namespace: string, kind: MlAppKind, name: string): Promise<MlAppEventList>;
  podLog(namespace: string, pod: string, query: PodLogQuery): Promise<PodLog>;
}

export function createMlAppsService(deps: { kube: MlAppsKube; images: readonly string[] }): MlAppsService {
  const { kube } = deps;
  const discover = (group: string, version: string) => kube.servedResources(group, version);

  async function requireOperator(id: MlOperatorId): Promise<void> {
    const op = operatorKind(id);
    if (await servedVersion(op, discover)) return;
    const params = { kind: op.kind, group: op.group, version: op.versions[0]! };
    throw new AppError(404, 'NotFound', 'ML_APPS_OPERATOR_MISSING', params, { operator: op.id, ...params });
  }

  /** The Training Operator v1 kinds the cluster serves, each in the version it serves. */
  async function servedV1Kinds() {
    const kinds = (['tfjobs', 'pytorchjobs', 'xgboostjobs', 'mpijobs'] as const).map(operatorKind);
    const versions = await Promise.all(kinds.map((op) => servedVersion(op, discover)));
    return kinds.flatMap((op, i) => (versions[i] ? [{ ...op, version: versions[i] }] : []));
  }

  /** The version the cluster serves the v1 kind in, or the operator-missing 404. */
  async function v1Version(kind: TrainingJobKind): Promise<string> {
    const id = V1_KINDS[kind].plural as MlOperatorId;
    await requireOperator(id);
    return (await servedVersion(operatorKind(id), discover))!;
  }

  /**
   * The namespace's Kueue Workloads when the cluster serves them (none otherwise), with the pending ones' places
   * in their queues from Kueue's visibility API (or why there are none).
   */
  async function workloads(namespace: string): Promise<Queued> {
    const version = await servedVersion(operatorKind('kueue-workloads'), discover);
    const items = version ? await kube.workloads(namespace, version) : [];
    return { workloads: items, positions: await queuePositions(kube, namespace, items) };
  }

  const notFound = (name: string, key = 'ML_APPS_NOTEBOOK_NOT_FOUND') =>
    new AppError(404, 'NotFound', key, { name }, { name });

  /** A TrainJob with its nodes' pods (JobSet's label) and the namespace's warnings. */
  async function jobView(namespace: string, job: KubeTrainJob): Promise<TrainJob> {
    const name = job.metadata?.name ?? '';
    const [pods, events, queued] = await Promise.all([
      kube.pods(namespace, `${JOBSET_NAME_LABEL}=${name}`),
      kube.warningEvents(namespace),
      workloads(namespace),
    ]);
    return withQueue(trainJobView(job, pods, events), 'TrainJob', queued);
  }

  /** The notebook with its own pod and the namespace's warnings, as the list shows it. */
  async function view(namespace: string, notebook: KubeNotebook): Promise<Notebook> {
    const name = notebook.metadata?.name ?? '';
    const [pods, events] = await Promise.all([
      kube.pods(namespace, `${NOTEBOOK_POD_LABEL}=${name}`),
      kube.warningEvents(namespace),
    ]);
    return notebookView(notebook, pods[0], events);
  }

  /** A v1 job with its replicas' pods (the operator's job-name label) and the namespace's warnings. */
  async function trainingView(namespace: string, kind: string, job: KubeTrainingJob): Promise<TrainingJob> {
    const name = job.metadata?.name ?? '';
    const [pods, events, queued] = await Promise.all([
      kube.pods(namespace, `${JOB_NAME_LABEL}=${name}`),
      kube.warningEvents(namespace),
      workloads(namespace),
    ]);
    return withQueue(trainingJobView(kind, job, pods, events), kind, queued);
  }

  return {
    listOperators: async () => ({ items: await listOperators(discover) }),

    async listNotebooks(namespace) {
      await requireOperator('notebooks');
      const [notebooks, pods, events] = await Promise.all([
        kube.listNotebooks(namespace),
        kube.pods(namespace, NOTEBOOK_POD_LABEL),
        kube.warningEvents(namespace),
      ]);
      const podOf = new Map<string, V1Pod>(
        pods.map((p) => [p.metadata?.labels?.[NOTEBOOK_POD_LABEL] ?? '', p]),
      );
      const items = notebooks
        .map((nb) => notebookView(nb, podOf.get(nb.metadata?.name ?? ''), events))
        .sort((a, b) => a.name.localeCompare(b.name));
      return { items };
    },

    // Cluster facts (images, GPUs, claims) that the notebook and the training forms both offer: no operator needed.
    async notebookOptions(namespace) {
      const [nodes, placed, claims] = await Promise.all([
        kube.nodes(),
        kube.placedRequests(),
        kube.claims(namespace),
      ]);
      return notebookOptions({ images: deps.images, nodes, placed, claims });
    },

    async createNotebook(namespace, input, creator) {
      await requireOperator('notebooks');
      return view(namespace, await createNotebook(kube, namespace, input, creator));
    },

    async setStopped(namespace, name, stopped) {
      await requireOperator('notebooks');
      const patched = await kube.annotateNotebook(namespace, name, {
        [STOPPED_ANNOTATION]: stopped ? new Date().toISOString() : null,
        // Started again: the culler's stop is history (docs/adr/0041).
        ...(stopped ? {} : { [CULLED_AT_ANNOTATION]: null }),
      });
      if (!patched) throw notFound(name);
      return view(namespace, patched);
    },

    async deleteNotebook(namespace, name) {
      await requireOperator('notebooks');
      if (!(await kube.deleteNotebook(namespace, name))) throw notFound(name);
      return { name };
    },

    async listTrainJobs(namespace) {
      await requireOperator('trainjobs');
      const [jobs, pods, events, queued] = await Promise.all([
        kube.listTrainJobs(namespace),
        kube.pods(namespace, JOBSET_NAME_LABEL),
        kube.warningEvents(namespace),
        workloads(namespace),
      ]);
      const podsOf = groupBy(pods, (p) => p.metadata?.labels?.[JOBSET_NAME_LABEL] ?? '');
      const items = jobs
        .map((job) =>
          withQueue(
            trainJobView(job, podsOf.get(job.metadata?.name ?? '') ?? [], events),
            'TrainJob',
            queued,
          ),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
      return { items };
    },

    async listTrainingJobs(namespace) {
      const served = await servedV1Kinds();
      const [lists, pods, events, queued] = await Promise.all([
        Promise.all(served.map((op) => kube.listTrainingJobs(namespace, op.resource, op.version))),
        served.length ? kube.pods(namespace, JOB_NAME_LABEL) : [],
        served.length ? kube.warningEvents(namespace) : [],
        served.length ? workloads(namespace) : { workloads: [], positions: NO_POSITIONS },
      ]);
      const podsOf = groupBy(pods, (p) => p.metadata?.labels?.[JOB_NAME_LABEL] ?? '');
      const items = served
        .flatMap((op, i) =>
          lists[i]!.map((job) =>
            withQueue(
              trainingJobView(op.kind, job, podsOf.get(job.metadata?.name ?? '') ?? [], events),
              op.kind,
              queued,
            ),
          ),
        )
        .sort((a, b) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
      return { kinds: served.map((op) => op.kind), items };
    },

    async createTrainJob(namespace, input, creator) {
      await requireOperator('trainjobs');
      return jobView(namespace, await createTrainJob(kube, namespace, input, creator));
    },

    async deleteTrainJob(namespace, name) {
      await requireOperator('trainjobs');
      if (!(await kube.deleteTrainJob(namespace, name))) throw notFound(name, 'ML_APPS_TRAINJOB_NOT_FOUND');
      return { name };
    },

    async createTrainingJob(namespace, input, creator) {
      const version = await v1Version(input.kind);
      const job = await createTrainingJob(kube, namespace, input, creator, version);
      return trainingView(namespace, input.kind, job);
    },

    // Events and pods are read whether or not the operator is installed: a removed operator leaves them behind.
    async appEvents(namespace, kind, name) {
      const [pods, events] = await Promise.all([
        kube.pods(namespace, `${podLabelOf(kind)}=${name}`),
        kube.events(namespace),
      ]);
      return {
        items: appEvents(name, pods, events),
        pods: pods
          .map((p) => ({
            name: p.metadata?.name ?? '',
            containers: (p.spec?.containers ?? []).map((c) => c.name),
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    },

    // Only an ML app's pod (its controller's label): the route is not a way around pods/log for other pods.
    async podLog(namespace, name, query) {
      const pod = await kube.pod(namespace, name);
      const labels = pod?.metadata?.labels ?? {};
      if (!pod || !APP_POD_LABELS.some((l) => labels[l] !== undefined)) {
        throw new AppError(404, 'NotFound', 'ML_APPS_POD_NOT_FOUND', { name }, { name });
      }
      const containers = (pod.spec?.containers ?? []).map((c) => c.name);
      const container = query.container ?? containers[0] ?? '';
      if (!containers.includes(container)) {
        const params = { container, available: containers.join(', '), field: 'query.container' };
        throw new AppError(400, 'Invalid', 'ML_APPS_UNKNOWN_CONTAINER', params, params);
      }
      // No node, no kubelet to ask: why it has none, in the scheduler's words when it has said.
      if (!pod.spec?.nodeName) {
        const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
        const message = scheduled?.message ?? '';
        throw new AppError(409, 'Conflict', 'ML_APPS_LOG_NOT_SCHEDULED', { message }, { message });
      }
      const log = await kube.podLog(namespace, name, {
        container,
        tailLines: query.tailLines ?? 500,
        previous: query.previous ?? false,
      });
      return { pod: name, container, log };
    },

    async deleteTrainingJob(namespace, name, kind) {
      const version = await v1Version(kind);
      if (!(await kube.deleteTrainingJob(namespace, V1_KINDS[kind].plural, version, name))) {
        throw new AppError(404, 'NotFound', 'ML_APPS_TRAININGJOB_NOT_FOUND', { name, kind }, { name, kind });
      }
      return { name };
    },
  };
}

/**
 * A job Kueue manages: its queue, and until Kueue admits it, waiting in Kueue's words (Kueue keeps it suspended, and
 * no pod says more). A finished job stays as it ended.
 */
function withQueue<J extends TrainJob | TrainingJob>(job: J, kind: string, queued: Queued): J {
  const kueue = kueueView(queued.workloads, kind, job.name);
  if (!kueue) return job;
  const finished = job.status.phase === 'succeeded' || job.status.phase === 'failed';
  const workload = workloadOf(queued.workloads, kind, job.name)!;
  const queue = { ...kueue.queue, ...(finished ? {} : positionOf(queued.positions, workload)) };
  return { ...job, queue, ...(kueue.waiting && !finished ? { status: kueue.waiting } : {}) };
}

const NO_POSITIONS: QueuePositions = { byWorkload: new Map(), failedQueues: new Set() };

/** A namespace's Workloads and the pending ones' queue positions. */
interface Queued {
  workloads: readonly KubeWorkload[];
  positions: QueuePositions;
}

/** Pods by the job a label names. */
function groupBy(pods: readonly V1Pod[], key: (pod: V1Pod) => string): Map<string, V1Pod[]> {
  const groups = new Map<string, V1Pod[]>();
  for (const pod of pods) groups.set(key(pod), [...(groups.get(key(pod)) ?? []), pod]);
  return groups;
}
