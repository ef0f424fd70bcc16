// Field-precise problems: what validation returns for each bad field. The code is the locale key of the
// message (locales/<lang>/backend.json, `{var}` placeholders as in the console), the params fill it, and
// `message` is the English text so logs and API clients without a catalogue still read something useful.
// Every message says what to do next, not only what is wrong.

export type ProblemParams = Record<string, string | number>;

export interface FieldProblem {
  /** Where in the request: `spec.resources[1].base`. */
  path: string;
  code: GpuQuotaProblemCode;
  params: ProblemParams;
  message: string;
}

export const GPU_QUOTA_MESSAGES_EN = {
  GPU_QUOTA_NOT_A_NUMBER: '{field} of {resource} must be a number; enter a whole number such as 0, 1 or 4',
  GPU_QUOTA_NEGATIVE: '{field} of {resource} is {value}; a quota cannot be negative, use 0 to allow none',
  GPU_QUOTA_NOT_INTEGER:
    '{field} of {resource} is {value}; {resource} is counted in whole {unit} units, round to a whole number',
  GPU_QUOTA_AMOUNT_TOO_LARGE:
    '{field} of {resource} is {value}, above the largest amount accepted ({limit}, set by GPU_QUOTA_MAX_AMOUNT); enter a smaller number',
  GPU_QUOTA_CLUSTER_OVERCOMMIT:
    'the bases of {what} would add up to {total}, more than the cluster can guarantee ({allocatable}); lower this base, or a platform administrator can over-commit on purpose with allowBaseOvercommit: true',
  GPU_QUOTA_OVERCOMMIT_ACCEPTED:
    'the bases of {what} add up to {total}, more than the cluster can guarantee ({allocatable}): over-committed on purpose by a platform administrator; the cluster view marks it',
  GPU_QUOTA_FORBIDDEN_OVERCOMMIT:
    "only a platform administrator may over-commit the cluster's guarantee (allowBaseOvercommit); remove the field or ask one",
  GPU_QUOTA_FORBIDDEN_OWN_PROJECT:
    "{user} may not change the GPU quota of project {namespace}: a project's members never set their own quota; ask the administrator of its workspace or a platform administrator",
  GPU_QUOTA_FORBIDDEN_OUTSIDE_WORKSPACE_QUOTA:
    '{user} may not set this GPU quota of project {namespace}: {reason}; only a platform administrator sets a project quota outside a workspace GPU quota',
  GPU_QUOTA_FORBIDDEN_WORKSPACE:
    '{user} may not change the GPU quota of workspace {workspace}: only a platform administrator sets workspace GPU quotas',
  GPU_QUOTA_FOREIGN_OBJECT_IN_THE_WAY:
    '{kind} {name} already exists and was not made by the GPU quota service, so saving would take it over; rename or remove it, then save again',
  GPU_QUOTA_FOREIGN_OBJECT_KEPT:
    '{kind} {name} was not made by the GPU quota service (no managed-by label or field manager of ours), so it was left in place; remove it yourself if it should go',
  GPU_QUOTA_HOLDINGS_MISMATCH:
    'project {namespace}: the recorded quota and its ResourceQuota disagree on {what} ({recorded} recorded, {found} found); the larger counts as held until the quota is saved again',
  GPU_QUOTA_WRITE_CONTENDED:
    'other GPU quota changes kept winning the race {attempts} times in a row; nothing of this change was kept, save again',
  GPU_QUOTA_WRITE_ROLLED_BACK:
    'writing the {step} of project {namespace} failed, so the steps already written were undone; the quota is as before, try again',
  GPU_QUOTA_WRITE_INCOMPLETE:
    'writing the {step} of project {namespace} failed and undoing failed too ({undone}); the larger quota stays recorded as held, save the quota again',
  GPU_QUOTA_BASE_ABOVE_MAX:
    'base {base} of {resource} is above max {max}; lower the base or raise the max (base is the guaranteed part of max)',
  GPU_QUOTA_NOT_A_GPU_RESOURCE:
    '{resource} is not a GPU resource; GPU quotas take names such as nvidia.com/gpu (set CPU and memory in the project quota)',
  GPU_QUOTA_UNKNOWN_RESOURCE: 'no node in this cluster offers {resource}; choose one of: {available}',
  GPU_QUOTA_MIG_UNAVAILABLE:
    'no node in this cluster offers the MIG profile {resource}; MIG profiles here: {available}',
  GPU_QUOTA_UNKNOWN_MODEL: 'no node offers {resource} of model {model}; models here: {available}',
  GPU_QUOTA_MODEL_NOT_SUPPORTED: '{resource} is not split by model; remove the model from this row',
  GPU_QUOTA_DUPLICATE_ROW:
    '{what} appears twice (rows {first} and {second}); keep one row per resource and model',
  GPU_QUOTA_MIXED_MODEL_ROWS:
    '{resource} has a row for any model and rows per model; use either one row for all models or one row per model',
  GPU_QUOTA_MAX_BELOW_USED:
    '{scope} {name} uses {used} {what}; max {max} is below that: stop a workload first, or confirm with force',
  GPU_QUOTA_MAX_BELOW_USED_FORCED:
    '{scope} {name} uses {used} {what}, more than the new max {max}: running pods keep their GPUs, new ones are refused until use drops below {max}',
  GPU_QUOTA_BASE_ABOVE_CAPACITY:
    'base {base} of {what} is more than the cluster has ({capacity}); it cannot be guaranteed until capacity grows',
  GPU_QUOTA_BASE_NOT_ENFORCED:
    'base is recorded but not enforced: no queue-aware scheduler (Kueue or Volcano) is installed; only max is enforced',
  GPU_QUOTA_BASE_NOT_ENFORCED_BY_SETTING:
    'base is recorded but not enforced: the cluster is set not to enforce it (GPU_QUOTA_ENFORCER=none); only max is enforced. Set GPU_QUOTA_ENFORCER to auto, kueue or volcano to enforce base',
  GPU_QUOTA_ENFORCER_NOT_INSTALLED:
    'the cluster is set to enforce base with {requested} (GPU_QUOTA_ENFORCER={requested}), but its CRDs are not installed: base is recorded, not enforced; install {requested} or choose another enforcer',
  GPU_QUOTA_WORKSPACE_OVERFLOW:
    'workspace {workspace} has {remaining} {what} left for {field}; {requested} asked. Held by: {holders}. Lower this request or raise the workspace quota',
  GPU_QUOTA_WORKSPACE_NEEDS_MODEL:
    'workspace {workspace} splits {resource} by model ({models}); give this row a model',
  GPU_QUOTA_WORKSPACE_BELOW_ALLOCATED:
    'workspace {workspace} {field} {value} of {what} is below what its projects hold ({allocated}: {holders}); lower those projects first',
  GPU_QUOTA_OTHER_QUOTA_LIMITS:
    'ResourceQuota {quota} in {namespace} also limits {key} to {value}; the lower of the two applies',
  GPU_QUOTA_DRIFT:
    '{key} in ResourceQuota {quota} is {actual} but the recorded max is {recorded}; someone changed it outside this editor, saving rewrites it',
} as const;

export type GpuQuotaProblemCode = keyof typeof GPU_QUOTA_MESSAGES_EN;

export function formatMessage(template: string, params: ProblemParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function problem(path: string, code: GpuQuotaProblemCode, params: ProblemParams): FieldProblem {
  return { path, code, params, message: formatMessage(GPU_QUOTA_MESSAGES_EN[code], params) };
}

/** "nvidia.com/gpu" or "nvidia.com/gpu (NVIDIA-A100-SXM4-80GB)": how messages name a row. */
export const describeRow = (resource: string, model?: string): string =>
  model ? `${resource} (${model})` : resource;
