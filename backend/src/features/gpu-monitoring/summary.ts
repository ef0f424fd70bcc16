// The cluster summary from the answers of clusterSummaryQueries(): counts by GPU model (and MIG profile), their
// totals, and what kube-state-metrics says nodes offer and running pods request. Pure.
import type { GpuSummary } from '@ks-gpu-ml/contracts';
import { byName, resourceName, valueOf, type Sample } from './samples.js';

export interface SummaryAnswers {
  devices: readonly Sample[];
  allocated: readonly Sample[];
  busy: readonly Sample[];
  idleAllocated: readonly Sample[];
  allocatableByResource?: readonly Sample[];
  requestedByResource: readonly Sample[];
}

type ModelRow = GpuSummary['models'][number];
type Count = 'devices' | 'allocated' | 'busy' | 'idleAllocated';
const COUNTS: readonly Count[] = ['devices', 'allocated', 'busy', 'idleAllocated'];

function modelRows(answers: SummaryAnswers): ModelRow[] {
  const rows = new Map<string, ModelRow>();
  for (const count of COUNTS) {
    for (const sample of answers[count]) {
      const model = sample.metric.modelName ?? '';
      const migProfile = sample.metric.GPU_I_PROFILE || undefined;
      const key = `${model}\u0000${migProfile ?? ''}`;
      let row = rows.get(key);
      if (!row) {
        row = {
          model,
          ...(migProfile ? { migProfile } : {}),
          devices: 0,
          allocated: 0,
          busy: 0,
          idleAllocated: 0,
        };
        rows.set(key, row);
      }
      row[count] += valueOf(sample) ?? 0;
    }
  }
  return [...rows.values()].sort(
    (a, b) => byName(a.model, b.model) || byName(a.migProfile ?? '', b.migProfile ?? ''),
  );
}

function resourceRows(answers: SummaryAnswers): GpuSummary['resources'] {
  const rows = new Map<string, GpuSummary['resources'][number]>();
  const row = (ksm: string | undefined) => {
    const resource = resourceName(ksm ?? '');
    let r = rows.get(resource);
    if (!r) rows.set(resource, (r = { resource, requested: 0 }));
    return r;
  };
  for (const s of answers.allocatableByResource ?? []) {
    const v = valueOf(s);
    if (v !== undefined) row(s.metric.resource).allocatable = v;
  }
  for (const s of answers.requestedByResource) row(s.metric.resource).requested += valueOf(s) ?? 0;
  return [...rows.values()].sort((a, b) => byName(a.resource, b.resource));
}

export function assembleSummary(
  answers: SummaryAnswers,
  meta: Pick<GpuSummary, 'time' | 'idle' | 'labels'>,
): GpuSummary {
  const models = modelRows(answers);
  const totals = { devices: 0, allocated: 0, busy: 0, idleAllocated: 0 };
  for (const m of models) for (const count of COUNTS) totals[count] += m[count];
  return {
    time: meta.time,
    totals,
    models,
    resources: resourceRows(answers),
    idle: meta.idle,
    labels: meta.labels,
  };
}
