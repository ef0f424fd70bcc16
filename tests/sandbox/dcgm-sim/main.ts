// Entry point: tsx tests/sandbox/dcgm-sim/main.ts --kubeconfig <path> --port <port>
//   [--host 127.0.0.1] [--label-variant default|lowercase-hostname|exported]
//   [--synthetic-nodes N [--synthetic-prefix P] [--synthetic-namespaces N] [--synthetic-workspaces N]]
//   [--custom-resource-state-config-file <path>]   (kube-state-metrics' custom-resource state, on /ksm/metrics)
// (--synthetic-nodes without --kubeconfig: metric-only nodes alone, no cluster.)
// Prints {"listening":"http://127.0.0.1:PORT"} once the informers have listed; exits on SIGTERM/SIGINT.
import { readFileSync } from 'node:fs';
import { ClusterWatch } from './cluster.js';
import { parseCli } from './cli-options.js';
import { CustomResourceWatch } from './custom-resource-watch.js';
import { parseCustomResourceState, renderCustomResourceState } from './ksm-custom-resources.js';
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
  // A config the stand-in cannot serve stops it here, before it serves anything.
  const customResources = options.customResourceStateConfigFile
    ? new CustomResourceWatch(
        options.kubeconfig!,
        parseCustomResourceState(readFileSync(options.customResourceStateConfigFile, 'utf8')),
        log,
      )
    : undefined;
  let ready = false;
  const { server, url } = await startServer(sim, {
    host: options.host,
    port: options.port,
    ready: () => ready,
    moreKsm: () => (customResources ? renderCustomResourceState(customResources.current()) : ''),
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    customResources?.stop();
    (cluster?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await cluster?.start(log);
  await customResources?.start();
  ready = true;
  console.log(JSON.stringify({ listening: url }));
}

main().catch((err: unknown) => {
  console.error(`[dcgm-sim] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
