// The create form's draft and the contract body it becomes: text typed into the form, checked before any request
// (the server checks again), and the pre-check refusal of a 409 read back from its details. Pure.
import type { NotebookCreate, PrecheckRefusal } from '@ks-gpu-ml/contracts';

export const CUSTOM_IMAGE = '__custom__';

export interface NotebookDraft {
  name: string;
  image: string;
  customImage: string;
  cpu: string;
  memory: string;
  /** '' = no GPU. */
  gpuResource: string;
  gpuCount: string;
  /** '' = any model. */
  gpuModel: string;
  workspace: 'new' | 'existing' | 'none';
  workspaceSize: string;
  storageClass: string;
  workspaceClaim: string;
  /** Claims mounted as data volumes at /data/<claim>, with their read-only flag. */
  dataVolumes: Record<string, { mounted: boolean; readOnly: boolean }>;
  /** `NAME=value`, one a line. */
  env: string;
}

export const emptyDraft = (image = ''): NotebookDraft => ({
  name: '',
  image,
  customImage: '',
  cpu: '0.5',
  memory: '1Gi',
  gpuResource: '',
  gpuCount: '1',
  gpuModel: '',
  workspace: 'new',
  workspaceSize: '5Gi',
  storageClass: '',
  workspaceClaim: '',
  dataVolumes: {},
  env: '',
});

/** The first problem of a draft: the form field and the message key (`ml-apps.form.invalid.*`). */
export interface DraftProblem<Field = keyof NotebookDraft> {
  field: Field;
  key: string;
}

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MEMORY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function envOf(text: string): NotebookCreate['env'] | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const env = lines.map((line) => {
    const at = line.indexOf('=');
    return { name: at < 0 ? line : line.slice(0, at), value: at < 0 ? '' : line.slice(at + 1) };
  });
  return env.every((e) => ENV_NAME.test(e.name)) ? env : undefined;
}

export function toCreateBody(d: NotebookDraft): { body: NotebookCreate } | { problem: DraftProblem } {
  const fail = (field: keyof NotebookDraft, key: string) => ({ problem: { field, key } });
  if (!NAME.test(d.name) || d.name.length > 52) return fail('name', 'name');
  const image = d.image === CUSTOM_IMAGE ? d.customImage.trim() : d.image;
  if (!image || /\s/.test(image)) return fail(d.image === CUSTOM_IMAGE ? 'customImage' : 'image', 'image');
  const cpu = Number(d.cpu);
  if (!Number.isFinite(cpu) || cpu < 0.1 || cpu > 256) return fail('cpu', 'cpu');
  if (!MEMORY.test(d.memory.trim())) return fail('memory', 'memory');
  const count = Number(d.gpuCount);
  if (d.gpuResource && (!Number.isInteger(count) || count < 1 || count > 64))
    return fail('gpuCount', 'gpuCount');
  if (d.workspace === 'new' && !MEMORY.test(d.workspaceSize.trim())) return fail('workspaceSize', 'size');
  if (d.workspace === 'existing' && !d.workspaceClaim) return fail('workspaceClaim', 'claim');
  const env = envOf(d.env);
  if (!env) return fail('env', 'env');
  const workspaceVolume: NotebookCreate['workspaceVolume'] =
    d.workspace === 'new'
      ? {
          kind: 'new',
          size: d.workspaceSize.trim(),
          ...(d.storageClass.trim() ? { storageClass: d.storageClass.trim() } : {}),
        }
      : d.workspace === 'existing'
        ? { kind: 'existing', claimName: d.workspaceClaim }
        : { kind: 'none' };
  const dataVolumes = Object.entries(d.dataVolumes)
    .filter(([, v]) => v.mounted)
    .map(([claimName, v]) => ({ claimName, mountPath: `/data/${claimName}`, readOnly: v.readOnly }));
  return {
    body: {
      name: d.name,
      image,
      cpu,
      memory: d.memory.trim(),
      ...(d.gpuResource
        ? { gpu: { resource: d.gpuResource, count, ...(d.gpuModel ? { model: d.gpuModel } : {}) } }
        : {}),
      workspaceVolume,
      ...(dataVolumes.length ? { dataVolumes } : {}),
      ...(env.length ? { env } : {}),
    },
  };
}

/** The pre-check refusals of a 409 answer's details, if it carries them. */
export function refusalsOf(details: Record<string, unknown>): PrecheckRefusal[] {
  const refusals = details.refusals;
  return Array.isArray(refusals) ? (refusals as PrecheckRefusal[]) : [];
}
