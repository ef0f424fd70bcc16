// Writing a project's quota: the record in our namespace, the ResourceQuota in the project, the scheduler's
// queues. Three objects cannot change in one call, so the write is a sequence with an undo (docs/adr/0013):
//
// 1. the record holds the larger of the old and new rows while the write is in flight, so a crash or a
//    failure half-way never counts base as free that a queue may still guarantee;
// 2. the claim of the write generation (claim.ts): lost to another writer, the record is undone and the
//    caller checks again; 3. the ResourceQuota, 4. the queues, 5. the record with the new rows.
//
// When a step fails, the steps already done are undone in reverse (written again with the old rows) and the
// answer says so (GPU_QUOTA_WRITE_ROLLED_BACK). If undoing fails too, the record keeps the larger rows and
// the answer says which steps disagree (GPU_QUOTA_WRITE_INCOMPLETE). Each call has the client's deadline, so
// no step can hold the lock for longer than that.
import type { KubernetesObject } from '@kubernetes/client-node';
import { AppError } from '../../core/errors.js';
import { ClaimLost } from './claim.js';
import { largerOf, projectRecord, projectRecordName } from './holdings.js';
import type { GpuQuotaKube } from './kube-io.js';
import { sortRows, type QuotaRow } from './model.js';
import type { FieldProblem } from './problems.js';
import { writeQueues } from './project-queues.js';
import { resourceQuotaApply } from './resourcequota.js';
import type { ResourceTable } from './resources.js';
import type { EnforcerChoice } from './scheduler.js';

export interface ProjectWrite {
  namespace: string;
  /** What the project held before (the record, or the ResourceQuota where no record exists). */
  previous: readonly QuotaRow[];
  rows: readonly QuotaRow[];
  /** Whether our ResourceQuota exists now (clearing a project that never had one writes nothing to it). */
  quotaExists: boolean;
  choice: EnforcerChoice;
  /** Claims the write generation (claim.ts) once the record holds the larger rows; throws ClaimLost. */
  claim: () => Promise<void>;
}

interface Step {
  name: string;
  run(): Promise<FieldProblem[] | void>;
  /** Writes the step's object again as it was before. */
  undo(): Promise<unknown>;
}

/** Writes the project's quota; returns warnings (objects of others left in place). */
export async function writeProjectQuota(
  kube: GpuQuotaKube,
  table: ResourceTable,
  write: ProjectWrite,
): Promise<FieldProblem[]> {
  const { namespace, choice, previous, rows } = write;
  const record = async (held: readonly QuotaRow[]) => {
    if (held.length > 0) return kube.apply(projectRecord(kube.ownNamespace, namespace, held));
    const name = projectRecordName(namespace);
    await kube.removeOwned({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: kube.ownNamespace });
  };
  const quota = (held: readonly QuotaRow[]) =>
    kube.apply(resourceQuotaApply(namespace, sortRows(held), table) as KubernetesObject);
  const queues = (held: readonly QuotaRow[]) => writeQueues(kube, table, { namespace, rows: held, choice });
  const writesQuota = rows.length > 0 || previous.length > 0 || write.quotaExists;
  const steps: Step[] = [
    { name: 'record', run: () => record(largerOf(previous, rows)), undo: () => record(previous) },
    { name: 'claim', run: write.claim, undo: async () => undefined },
    ...(writesQuota ? [{ name: 'ResourceQuota', run: () => quota(rows), undo: () => quota(previous) }] : []),
    { name: 'queues', run: () => queues(rows), undo: () => queues(previous) },
    { name: 'record', run: () => record(rows), undo: () => record(previous) },
  ];

  const warnings: FieldProblem[] = [];
  for (const [index, step] of steps.entries()) {
    try {
      warnings.push(...((await step.run()) ?? []));
    } catch (err) {
      // Nothing was written yet: the failure is the upstream's, as it is.
      if (index === 0) throw err;
      // Beaten by another writer: undo the record, and the caller checks again.
      if (err instanceof ClaimLost) {
        const failure = await undo(steps.slice(0, index), write.namespace, step.name, err);
        if (failure.key === 'GPU_QUOTA_WRITE_ROLLED_BACK') throw err;
        throw failure;
      }
      // The failed step may have written part of its objects (the ClusterQueue but not the LocalQueue), so
      // it is undone too.
      throw await undo(steps.slice(0, index + 1), write.namespace, step.name, err);
    }
  }
  return warnings;
}

/** Undoes the done steps, last first; the error says whether that worked. */
async function undo(done: Step[], namespace: string, failed: string, cause: unknown): Promise<AppError> {
  const notUndone: string[] = [];
  for (const step of [...done].reverse()) {
    // The first step recorded the larger rows: while a later step could not be undone, that record stays.
    if (notUndone.length > 0 && step === done[0]) continue;
    try {
      await step.undo();
    } catch {
      notUndone.push(step.name);
    }
  }
  const params = { namespace, step: failed };
  const details = { ...params, cause: causeOf(cause) };
  if (notUndone.length === 0)
    return new AppError(502, 'UpstreamError', 'GPU_QUOTA_WRITE_ROLLED_BACK', params, {
      ...details,
      rolledBack: true,
    });
  const undone = notUndone.join(', ');
  return new AppError(
    502,
    'UpstreamError',
    'GPU_QUOTA_WRITE_INCOMPLETE',
    { ...params, undone },
    {
      ...details,
      rolledBack: false,
      notUndone,
    },
  );
}

/** The failed call's message key (never the client's error object: it carries headers). */
const causeOf = (err: unknown): string => (err instanceof AppError ? err.key : 'unknown');
