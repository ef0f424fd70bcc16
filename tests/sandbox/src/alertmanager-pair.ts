// Debian's Alertmanager as a clustered pair on loopback, as KubeSphere runs it (a StatefulSet of two): each peer
// gossips its notification log and silences to the other, and each runs the whole notification pipeline, so the
// receiver (the backend's intake) gets some notifications twice and must deduplicate (docs/adr/0022).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layout } from './layout.js';
import { alertmanagerConfig, alertmanagerConfigPath } from './monitoring.js';
import { assertRunning, startProcess } from './processes.js';
import { httpOk, waitFor } from './wait.js';

export interface PeerPorts {
  web: number;
  cluster: number;
}

export interface PairOptions {
  /** The configuration file both peers load (written here). */
  configFile: string;
  /** Each peer's storage is `<storageDir>/am-<i>`. */
  storageDir: string;
  ports: [PeerPorts, PeerPorts];
  /** The Alertmanager configuration (YAML) both peers load. */
  config: string;
  /**
   * How long the second peer waits for the first's notification-log entry before it sends too (Alertmanager's
   * default is 15 s). Short in tests, so both peers send, as they do when gossip is late.
   */
  peerTimeout?: string;
}

/**
 * The sandbox pair's peer timeout: 0 s, so both peers send every notification at once, as they do when gossip is
 * late or a send outlasts the timeout (reference §5: the second peer sends after position × timeout unless the
 * first's notification-log entry has arrived). Every alert of the sandbox thus reaches the backend's intake twice,
 * and the end-to-end tests see its deduplication at work, not only the intake test's own pair.
 */
export const SANDBOX_PEER_TIMEOUT = '0s';

/** The two peers' command lines; peer i lists the other as its --cluster.peer. */
export function alertmanagerPairArgs(options: PairOptions): [string[], string[]] {
  writeFileSync(options.configFile, options.config);
  const args = (self: PeerPorts, other: PeerPorts, index: number) => {
    const storage = join(options.storageDir, `am-${index}`);
    mkdirSync(storage, { recursive: true });
    return [
      `--config.file=${options.configFile}`,
      `--storage.path=${storage}`,
      `--web.listen-address=127.0.0.1:${self.web}`,
      `--cluster.listen-address=127.0.0.1:${self.cluster}`,
      `--cluster.peer=127.0.0.1:${other.cluster}`,
      // Notifications wait for the cluster to settle (default 1 m); two loopback peers settle at once.
      '--cluster.settle-timeout=2s',
      `--cluster.peer-timeout=${options.peerTimeout ?? '15s'}`,
      '--log.level=warn',
    ];
  };
  const [a, b] = options.ports;
  return [args(a, b, 0), args(b, a, 1)];
}

/** True once the peer reports the cluster ready with both members. */
export async function pairSettled(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v2/status`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return false;
    const status = (await response.json()) as { cluster?: { status?: string; peers?: unknown[] } };
    return status.cluster?.status === 'ready' && (status.cluster.peers?.length ?? 0) === 2;
  } catch {
    return false;
  }
}

/**
 * The sandbox's Alertmanager: a pair whose receiver is the backend's intake, authenticated with the token in
 * `tokenFile` (credentials_file). Returns both peers' URLs; the first is ALERTMANAGER_URL.
 */
export async function startAlertmanagerPair(
  ports: [PeerPorts, PeerPorts],
  receiver: { webhookUrl: string; tokenFile: string },
): Promise<[string, string]> {
  const storageDir = join(layout.data, 'alertmanager');
  mkdirSync(storageDir, { recursive: true });
  const args = alertmanagerPairArgs({
    configFile: alertmanagerConfigPath(),
    storageDir,
    ports,
    config: alertmanagerConfig(receiver.webhookUrl, receiver.tokenFile),
    peerTimeout: SANDBOX_PEER_TIMEOUT,
  });
  const urls = ports.map((p) => `http://127.0.0.1:${p.web}`) as [string, string];
  const records = urls.map((url, i) =>
    startProcess(i === 0 ? 'alertmanager' : 'alertmanager-peer', 'prometheus-alertmanager', args[i]!, {
      url,
    }),
  );
  for (const [i, url] of urls.entries()) {
    await waitFor(`Alertmanager ${url} ready in a cluster of two`, async () => {
      assertRunning(records[i]!);
      return (await httpOk(`${url}/-/ready`)) && pairSettled(url);
    });
  }
  return urls;
}
