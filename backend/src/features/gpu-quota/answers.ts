// How the service's findings become API answers (docs/adr/0006): a domain path becomes the request field it
// names, every problem is localized, a refusal is a 400 or 409 naming the first field (every problem in its
// details), a 403 names the rule that refused, and quota rows take the contract's shape.
import {
  GPU_QUOTA_GROUP,
  type GpuQuotaProblem,
  type GpuQuotaRowInput,
  type GpuResourceList,
} from '@ks-gpu-ml/contracts';
import { AppError } from '../../core/errors.js';
import type { Language, Translate } from '../../core/i18n.js';
import type { QuotaRow } from './model.js';
import { problem, type FieldProblem } from './problems.js';
import type { EnforcerChoice } from './scheduler.js';

/** `spec.resources[1].base` (domain) → `body.resources.1.base` (the form BACKEND_INVALID_FIELD uses). */
export function requestPath(path: string): string {
  return path.replace(/^spec\./, 'body.').replace(/\[(\d+)\]/g, '.$1');
}

export interface Answers {
  /** A message of locales/<lang>/backend.json, for a param that is itself a sentence (a refusal's reason). */
  text(lang: Language, key: string, params: Record<string, string>): string;
  localize(lang: Language, p: FieldProblem): GpuQuotaProblem;
  /** 400 (or `status`) naming the first problem's field; every problem is in details, localized. */
  refuse(lang: Language, problems: readonly FieldProblem[], status?: 400 | 409): AppError;
  enforcerInfo(choice: EnforcerChoice, lang: Language): GpuResourceList['enforcer'];
}

export function createAnswers(translate: Translate): Answers {
  const localize = (lang: Language, p: FieldProblem): GpuQuotaProblem => ({
    path: requestPath(p.path),
    code: p.code,
    params: p.params,
    message: translate(lang, p.code, p.params),
  });
  return {
    text: (lang, key, params) => translate(lang, key, params),
    localize,
    refuse(lang, problems, status = 400) {
      const first = problems[0]!;
      return new AppError(status, status === 409 ? 'Conflict' : 'Invalid', first.code, first.params, {
        field: requestPath(first.path),
        problems: problems.map((p) => localize(lang, p)),
      });
    },
    enforcerInfo: (choice, lang) => ({
      enforcer: choice.enforcer,
      setting: choice.setting,
      installed: choice.installed,
      ...(choice.problem ? { problem: localize(lang, choice.problem) } : {}),
    }),
  };
}

/** 403 for a caller whose authority does not reach this write (authority.ts says which rule). */
export const forbidden = (key: string, params: Record<string, string>): AppError =>
  new AppError(403, 'Forbidden', key, params, { group: GPU_QUOTA_GROUP, resource: 'gpuquotas', ...params });

/** The refusal's problem, turned into the warning that the over-commitment was accepted on purpose. */
export const acceptedOvercommit = (p: FieldProblem): FieldProblem =>
  problem(p.path, 'GPU_QUOTA_OVERCOMMIT_ACCEPTED', p.params);

/** A row as the contract has it (input or output): the model only when there is one. */
export const contractRow = (r: GpuQuotaRowInput | QuotaRow): QuotaRow => ({
  resource: r.resource,
  ...(r.model !== undefined ? { model: r.model } : {}),
  base: r.base,
  max: r.max,
});
