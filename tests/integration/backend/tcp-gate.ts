// A TCP forwarder on 127.0.0.1 that tests open and close: while closed, connections to its port are refused
// (nothing listens), as when kube-apiserver is down; once open, bytes go through to the real server unchanged
// (TLS stays end to end). Used instead of stopping the shared sandbox's apiserver.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export interface TcpGate {
  port: number;
  open(): Promise<void>;
  close(): Promise<void>;
  /** Connections accepted since the gate was made. */
  readonly connections: number;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function createTcpGate(target: { host: string; port: number }): Promise<TcpGate> {
  const port = await freePort();
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let connections = 0;
  return {
    port,
    get connections() {
      return connections;
    },
    async open() {
      server = createServer((client) => {
        connections++;
        const upstream = connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      for (const s of sockets) s.destroy();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    },
  };
}

/** The host and port of the current cluster of a kubeconfig (the sandbox's apiserver). */
export function apiserverOf(kubeconfigPath: string): { host: string; port: number } {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error(`${kubeconfigPath} has no current cluster`);
  const url = new URL(server);
  return { host: url.hostname, port: Number(url.port || 443) };
}

/** A copy of `kubeconfigPath` (same credentials and CA) whose clusters are reached through `gate`. */
export function kubeconfigThrough(kubeconfigPath: string, gate: TcpGate, dir: string): string {
  const doc = parseYaml(readFileSync(kubeconfigPath, 'utf8')) as {
    clusters: { cluster: { server: string } }[];
  };
  for (const { cluster } of doc.clusters) {
    const url = new URL(cluster.server);
    url.port = String(gate.port);
    cluster.server = url.origin;
  }
  const path = join(dir, 'kubeconfig-through-gate');
  writeFileSync(path, stringifyYaml(doc), { mode: 0o600 });
  return path;
}
