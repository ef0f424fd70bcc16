// Command-line options of main.ts, separate so tests can check them without starting anything.
import { parseArgs } from 'node:util';
import { isLabelVariant, LABEL_VARIANTS, type LabelVariant } from './dcgm-metrics.js';

export interface CliOptions {
  kubeconfig: string;
  port: number;
  host: string;
  variant: LabelVariant;
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
    },
    strict: true,
  });
  const usage = `usage: main.ts --kubeconfig <path> --port <port> [--host 127.0.0.1] [--label-variant ${LABEL_VARIANTS.join('|')}]`;
  if (!values.kubeconfig) throw new Error(`--kubeconfig is required\n${usage}`);
  const port = Number(values.port);
  if (!values.port || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number\n${usage}`);
  }
  // The sandbox keeps every service on loopback; refuse anything else rather than expose the API's data.
  if (!LOOPBACK.test(values.host)) throw new Error(`--host must be a loopback address, got "${values.host}"`);
  const variant = values['label-variant'];
  if (!isLabelVariant(variant)) throw new Error(`unknown --label-variant "${variant}"\n${usage}`);
  return { kubeconfig: values.kubeconfig, port, host: values.host, variant };
}
