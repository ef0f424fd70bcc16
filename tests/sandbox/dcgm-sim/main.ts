// Entry point: tsx tests/sandbox/dcgm-sim/main.ts --kubeconfig <path> --port <port>
//   [--host 127.0.0.1] [--label-variant default|lowercase-hostname|exported]
//   [--synthetic-nodes N [--synthetic-prefix P] [--synthetic-namespaces N] [--synthetic-workspaces N]]
// (--synthetic-nodes without --kubeconfig: metric-only nodes alone, no cluster.)
// Prints {"listening":"http://127.0.0.1:PORT"} once the informers have listed; exits on SIGTERM/SIGINT.
import { ClusterWatch } from './cluster.js';
import { parseCli } from './cli-options.js';
import { startServer } from './server.js';
import { DcgmSimulator, type ClusterSource } from './simulator.js';
import { mergeSources, SyntheticCluster } from './synthetic.js';

async function main(): Promise<void> {
  const options = parseCli(process.argv.slice(2));
  const log = (msg: string): void => console.error(`[dcgm-sim] ${msg}`);
  const cluster = options.kubeconfig ? new ClusterWatch(options.kubeconfig) : undefined;
  const synthetic = options.synthetic ? new SyntheticCluster(options.synthetic) : undefined;
  const source: ClusterSource =
    cluster && synthetic ? mergeSources(cluster, synthetic) : (cluster ?? synthetic)!;
  if (synthetic) log(`serving ${options.synthetic!.nodes} metric-only synthetic GPU nodes`);
  const sim = new DcgmSimulator(source, { variant: options.variant });
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
    (cluster?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await cluster?.start(log);
  ready = true;
  console.log(JSON.stringify({ listening: url }));
}

main().catch((err: unknown) => {
  console.error(`[dcgm-sim] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
