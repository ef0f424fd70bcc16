// Debian's Alertmanager as a clustered pair on loopback, as KubeSphere runs it (a StatefulSet of two): each peer
// gossips its notification log and silences to the other, and each runs the whole notification pipeline, so the
// receiver (the backend's intake) gets some notifications twice and must deduplicate (docs/adr/0022).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PeerPorts {
  web: number;
  cluster: number;
}

export interface PairOptions {
  /** Where each peer keeps its config copy and its storage (`<dir>/am-0`, `<dir>/am-1`). */
  dir: string;
  ports: [PeerPorts, PeerPorts];
  /** The Alertmanager configuration (YAML) both peers load. */
  config: string;
  /**
   * How long the second peer waits for the first's notification-log entry before it sends too (Alertmanager's
   * default is 15 s). Short in tests, so both peers send, as they do when gossip is late.
   */
  peerTimeout?: string;
}

/** The two peers' command lines; peer i lists the other as its --cluster.peer. */
export function alertmanagerPairArgs(options: PairOptions): [string[], string[]] {
  const configFile = join(options.dir, 'alertmanager.yml');
  mkdirSync(options.dir, { recursive: true });
  writeFileSync(configFile, options.config);
  const args = (self: PeerPorts, other: PeerPorts, index: number) => {
    const storage = join(options.dir, `am-${index}`);
    mkdirSync(storage, { recursive: true });
    return [
      `--config.file=${configFile}`,
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
