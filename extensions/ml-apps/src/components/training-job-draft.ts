// The v1 job submit form's draft (a kind, and per replica type of the kind whether it runs, how many, the image,
// command and resources of each replica) and the contract body it becomes, checked before any request with the
// contract's replica rules (the server checks again). Pure.
import {
  replicaProblem,
  TRAINING_REPLICA_TYPES,
  type TrainingJobCreate,
  type TrainingJobKind,
  type TrainingReplicaCreate,
} from '@ks-gpu-ml/contracts';
import { envOf, type DraftProblem } from './notebook-draft.js';

export interface ReplicaDraft {
  enabled: boolean;
  replicas: string;
  image: string;
  /** Words split on spaces. */
  command: string;
  cpu: string;
  memory: string;
  /** '' = no GPU. */
  gpuResource: string;
  gpuCount: string;
  /** '' = any model. */
  gpuModel: string;
}

export interface TrainingJobDraft {
  kind: TrainingJobKind;
  name: string;
  /** By replica type, every type of the kind. */
  replicas: Record<string, ReplicaDraft>;
  env: string;
}

/** Which types a new draft runs: the one a kind cannot do without, and workers. */
const STARTS_ENABLED: Readonly<Record<TrainingJobKind, readonly string[]>> = {
  TFJob: ['Worker'],
  PyTorchJob: ['Master', 'Worker'],
  XGBoostJob: ['Master', 'Worker'],
  MPIJob: ['Launcher', 'Worker'],
};

const replicaDraft = (enabled: boolean, workers: boolean): ReplicaDraft => ({
  enabled,
  replicas: workers ? '2' : '1',
  image: '',
  command: '',
  cpu: '1',
  memory: '4Gi',
  gpuResource: '',
  gpuCount: '1',
  gpuModel: '',
});

export const emptyTrainingJobDraft = (kind: TrainingJobKind): TrainingJobDraft => ({
  kind,
  name: '',
  replicas: Object.fromEntries(
    TRAINING_REPLICA_TYPES[kind].map((type) => [
      type,
      replicaDraft(STARTS_ENABLED[kind].includes(type), type === 'Worker'),
    ]),
  ),
  env: '',
});

/** The same draft for another kind: what was typed for a type both kinds have is kept. */
export function withKind(draft: TrainingJobDraft, kind: TrainingJobKind): TrainingJobDraft {
  const fresh = emptyTrainingJobDraft(kind);
  for (const type of Object.keys(fresh.replicas)) {
    const typed = draft.replicas[type];
    // What was typed stays; a type the new kind needs runs even when the old kind had it off.
    if (typed) fresh.replicas[type] = { ...typed, enabled: typed.enabled || fresh.replicas[type]!.enabled };
  }
  return { ...fresh, name: draft.name, env: draft.env };
}

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MEMORY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/;

const whole = (text: string, min: number, max: number) => {
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};

type Field = keyof TrainingJobDraft;

/** One replica type's body, or the message key of what is wrong with it. */
function replicaBody(type: string, r: ReplicaDraft): TrainingReplicaCreate | string {
  const replicas = whole(r.replicas, 1, 64);
  if (replicas === undefined) return 'replicaCount';
  const image = r.image.trim();
  if (!image || /\s/.test(image)) return 'image';
  const cpu = Number(r.cpu);
  if (!Number.isFinite(cpu) || cpu < 0.1 || cpu > 256) return 'cpu';
  if (!MEMORY.test(r.memory.trim())) return 'memory';
  const count = whole(r.gpuCount, 1, 64);
  if (r.gpuResource && count === undefined) return 'gpuCount';
  const command = r.command.split(' ').filter(Boolean);
  return {
    type,
    replicas,
    image,
    ...(command.length ? { command } : {}),
    cpu,
    memory: r.memory.trim(),
    ...(r.gpuResource && count
      ? { gpu: { resource: r.gpuResource, count, ...(r.gpuModel ? { model: r.gpuModel } : {}) } }
      : {}),
  };
}

export function toTrainingJobBody(
  d: TrainingJobDraft,
): { body: TrainingJobCreate } | { problem: DraftProblem<Field> & { type?: string } } {
  if (!NAME.test(d.name) || d.name.length > 40) return { problem: { field: 'name', key: 'jobName' } };
  const replicaSpecs: TrainingReplicaCreate[] = [];
  for (const type of TRAINING_REPLICA_TYPES[d.kind]) {
    const r = d.replicas[type];
    if (!r?.enabled) continue;
    const out = replicaBody(type, r);
    if (typeof out === 'string') return { problem: { field: 'replicas', key: out, type } };
    replicaSpecs.push(out);
  }
  if (replicaSpecs.length === 0) return { problem: { field: 'replicas', key: 'noReplicas' } };
  const rule = replicaProblem(d.kind, replicaSpecs);
  if (rule) return { problem: { field: 'replicas', key: `replica.${rule.key}` } };
  const env = envOf(d.env);
  if (!env) return { problem: { field: 'env', key: 'env' } };
  return {
    body: { kind: d.kind, name: d.name, replicaSpecs, ...(env.length ? { env } : {}) },
  };
}
