// Command-line options of main.ts, separate so tests can check them without starting anything.
import { parseArgs } from 'node:util';
import { isLabelVariant, LABEL_VARIANTS, type LabelVariant } from './dcgm-metrics.js';

export interface CliOptions {
  /** The real cluster to simulate; optional only with `synthetic` (metric-only nodes alone). */
  kubeconfig?: string;
  port: number;
  host: string;
  variant: LabelVariant;
  /** kube-state-metrics' flag of the same name: the CustomResourceStateMetrics file to serve series from. */
  customResourceStateConfigFile?: string;
  /** Metric-only 8-GPU nodes served besides (or, without a kubeconfig, instead of) the cluster's. */
  synthetic?: { nodes: number; prefix?: string; namespaces?: number; workspaces?: number };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Parses and validates the command line; throws with a usage message on bad input. */
export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'label-variant': { type: 'string', default: 'default' },
      'synthetic-nodes': { type: 'string' },
      'synthetic-prefix': { type: 'string' },
      'synthetic-namespaces': { type: 'string' },
      'synthetic-workspaces': { type: 'string' },
      'custom-resource-state-config-file': { type: 'string' },
    },
    strict: true,
  });
  const usage =
    `usage: main.ts --kubeconfig <path> --port <port> [--host 127.0.0.1] [--label-variant ${LABEL_VARIANTS.join('|')}]\n` +
    '  [--synthetic-nodes N [--synthetic-prefix P] [--synthetic-namespaces N] [--synthetic-workspaces N]]\n' +
    '  [--custom-resource-state-config-file <path>]';
  const count = (flag: string, value: string | undefined, min: number): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > 100_000)
      throw new Error(`--${flag} must be a whole number\n${usage}`);
    return n;
  };
  const syntheticNodes = count('synthetic-nodes', values['synthetic-nodes'], 0) ?? 0;
  if (!values.kubeconfig && syntheticNodes === 0) throw new Error(`--kubeconfig is required\n${usage}`);
  const port = Number(values.port);
  if (!values.port || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number\n${usage}`);
  }
  // The sandbox keeps every service on loopback; refuse anything else rather than expose the API's data.
  if (!LOOPBACK.test(values.host)) throw new Error(`--host must be a loopback address, got "${values.host}"`);
  const variant = values['label-variant'];
  if (!isLabelVariant(variant)) throw new Error(`unknown --label-variant "${variant}"\n${usage}`);
  const options: CliOptions = { kubeconfig: values.kubeconfig, port, host: values.host, variant };
  if (!values.kubeconfig) delete options.kubeconfig;
  const crsFile = values['custom-resource-state-config-file'];
  if (crsFile) {
    if (!values.kubeconfig)
      throw new Error(`--custom-resource-state-config-file needs --kubeconfig\n${usage}`);
    options.customResourceStateConfigFile = crsFile;
  }
  if (syntheticNodes > 0) {
    const namespaces = count('synthetic-namespaces', values['synthetic-namespaces'], 1);
    const workspaces = count('synthetic-workspaces', values['synthetic-workspaces'], 1);
    options.synthetic = {
      nodes: syntheticNodes,
      ...(values['synthetic-prefix'] ? { prefix: values['synthetic-prefix'] } : {}),
      ...(namespaces !== undefined ? { namespaces } : {}),
      ...(workspaces !== undefined ? { workspaces } : {}),
    };
  }
  return options;
}
