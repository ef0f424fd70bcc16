// Field-precise problems: what validation returns for each bad field. The code is the locale key of the
// message (locales/<lang>/backend.json, `{var}` placeholders as in the console), the params fill it, and
// `message` is the English text (from the en catalogue) so logs and API clients without a catalogue still read
// something useful. Every message says what to do next, not only what is wrong.
import { englishText } from '../../core/i18n.js';

export type ProblemParams = Record<string, string | number>;

export interface FieldProblem {
  /** Where in the request: `spec.resources[1].base`. */
  path: string;
  code: GpuQuotaProblemCode;
  params: ProblemParams;
  message: string;
}

/**
 * The locale key of a problem's message. The texts live only in locales/{en,zh}/backend.json; i18n.test.ts
 * fails when code names a key either catalogue lacks.
 */
export type GpuQuotaProblemCode = `GPU_QUOTA_${string}`;

export function problem(path: string, code: GpuQuotaProblemCode, params: ProblemParams): FieldProblem {
  return { path, code, params, message: englishText(code, params) };
}

/** "nvidia.com/gpu" or "nvidia.com/gpu (NVIDIA-A100-SXM4-80GB)": how messages name a row. */
export const describeRow = (resource: string, model?: string): string =>
  model ? `${resource} (${model})` : resource;
