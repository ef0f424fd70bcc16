// Entry point: tsx tests/sandbox/dcgm-sim/main.ts --kubeconfig <path> --port <port>
//   [--host 127.0.0.1] [--label-variant default|lowercase-hostname|exported]
// Prints {"listening":"http://127.0.0.1:PORT"} once the informers have listed; exits on SIGTERM/SIGINT.
import { ClusterWatch } from './cluster.js';
import { parseCli } from './cli-options.js';
import { startServer } from './server.js';
import { DcgmSimulator } from './simulator.js';

async function main(): Promise<void> {
  const options = parseCli(process.argv.slice(2));
  const log = (msg: string): void => console.error(`[dcgm-sim] ${msg}`);
  const cluster = new ClusterWatch(options.kubeconfig);
  const sim = new DcgmSimulator(cluster, { variant: options.variant });
  let ready = false;
  const { server, url } = await startServer(sim, {
    host: options.host,
    port: options.port,
    ready: () => ready,
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    cluster.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await cluster.start(log);
  ready = true;
  console.log(JSON.stringify({ listening: url }));
}

main().catch((err: unknown) => {
  console.error(`[dcgm-sim] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
