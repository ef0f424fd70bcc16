// tsx tests/sandbox/ks-shim/main.ts --kubeconfig <admin kubeconfig> --users <users.json> \
//     --backend-url <http://127.0.0.1:port> [--port <port>] [--dist-dir <dir>]
// Prints {"listening":"http://127.0.0.1:PORT"} on stdout when ready, then one line per request; exits on SIGTERM/SIGINT.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startKsShim } from './server.js';

export { startKsShim, type KsShim, type KsShimOptions } from './server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      users: { type: 'string' },
      'backend-url': { type: 'string' },
      port: { type: 'string', default: '0' },
      'dist-dir': { type: 'string' },
    },
    strict: true,
  });
  const missing = (['kubeconfig', 'users', 'backend-url'] as const).filter((k) => !values[k]);
  if (missing.length) {
    console.error(`ks-shim: missing ${missing.map((k) => `--${k}`).join(', ')}`);
    process.exit(2);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`ks-shim: --port must be a port number, got "${values.port}"`);
    process.exit(2);
  }
  const shim = await startKsShim({
    kubeconfig: values.kubeconfig!,
    users: values.users!,
    backendUrl: values['backend-url']!,
    port,
    ...(values['dist-dir'] ? { distDir: values['dist-dir'] } : {}),
  });
  process.stdout.write(`${JSON.stringify({ listening: shim.url })}\n`);
  const stop = () => {
    shim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  main().catch((error: unknown) => {
    console.error(`ks-shim: ${(error as Error).message}`);
    process.exit(1);
  });
}
