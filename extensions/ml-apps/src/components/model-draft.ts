// The model and version registration forms' draft and the bodies it becomes, checked before any request (the
// server checks again, with the same rules from the contract). Pure.
import {
  isStorageUri,
  MODEL_FORMATS,
  type ModelCreate,
  type ModelFormat,
  type ModelVersionCreate,
} from '@ks-gpu-ml/contracts';
import type { DraftProblem } from './notebook-draft.js';

export interface ModelDraft {
  name: string;
  description: string;
  format: ModelFormat;
  storageUri: string;
  frameworkVersion: string;
  trainJob: string;
  /** `key=value` per line, numbers. */
  metrics: string;
  /** `key=value` per line. */
  parameters: string;
}

export const emptyModelDraft = (): ModelDraft => ({
  name: '',
  description: '',
  format: MODEL_FORMATS[0],
  storageUri: '',
  frameworkVersion: '',
  trainJob: '',
  metrics: '',
  parameters: '',
});

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const KEY = /^[A-Za-z0-9_.:/-]+$/;

/** `k=v` lines as a record, or undefined when a line is not one (or a metric not a number). */
export function pairsOf<T>(
  text: string,
  value: (raw: string) => T | undefined,
): Record<string, T> | undefined {
  const out: Record<string, T> = {};
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const at = line.indexOf('=');
    const key = line.slice(0, at).trim();
    const parsed = at > 0 ? value(line.slice(at + 1).trim()) : undefined;
    if (!KEY.test(key) || parsed === undefined) return undefined;
    out[key] = parsed;
  }
  return out;
}

const number = (raw: string) => (raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : undefined);

type Problem = { problem: DraftProblem<keyof ModelDraft> };

export function toVersionBody(d: ModelDraft): { body: ModelVersionCreate } | Problem {
  const fail = (field: keyof ModelDraft, key: string): Problem => ({ problem: { field, key } });
  const storageUri = d.storageUri.trim();
  if (!isStorageUri(storageUri)) return fail('storageUri', 'storageUri');
  const trainJob = d.trainJob.trim();
  if (trainJob && !NAME.test(trainJob)) return fail('trainJob', 'trainJob');
  const metrics = pairsOf(d.metrics, number);
  if (!metrics) return fail('metrics', 'metrics');
  const parameters = pairsOf(d.parameters, (raw) => raw);
  if (!parameters) return fail('parameters', 'parameters');
  return {
    body: {
      format: d.format,
      storageUri,
      ...(d.frameworkVersion.trim() ? { frameworkVersion: d.frameworkVersion.trim() } : {}),
      ...(Object.keys(metrics).length ? { metrics } : {}),
      ...(Object.keys(parameters).length ? { parameters } : {}),
      ...(trainJob ? { trainJob } : {}),
    },
  };
}

export function toModelBody(d: ModelDraft): { body: ModelCreate } | Problem {
  if (!NAME.test(d.name) || d.name.length > 63) return { problem: { field: 'name', key: 'modelName' } };
  const version = toVersionBody(d);
  if ('problem' in version) return version;
  return {
    body: {
      name: d.name,
      ...(d.description.trim() ? { description: d.description.trim() } : {}),
      firstVersion: version.body,
    },
  };
}
