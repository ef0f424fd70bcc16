// HTTP endpoints, loopback only: /metrics (dcgm-exporter), /ksm/metrics (kube-state-metrics), /hami/metrics
// (HAMi's vGPU monitor), runtime label-variant switching for tests, and a JSON view of which pod holds which GPU.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLabelVariant, LABEL_VARIANTS } from './dcgm-metrics.js';
import { CONTENT_TYPE } from './prom-text.js';
import type { DcgmSimulator } from './simulator.js';

export interface ServerOptions {
  host?: string;
  port?: number;
  /** False until the informers have listed; /healthz answers 503 meanwhile. */
  ready?: () => boolean;
  /** More kube-state-metrics families appended to /ksm/metrics (its custom-resource state). */
  moreKsm?: () => string;
}

export function handleRequest(sim: DcgmSimulator, ready: () => boolean, moreKsm: () => string = () => '') {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const variantParam = url.searchParams.get('variant') ?? url.searchParams.get('name');
    try {
      if (req.method === 'GET' && url.pathname === '/metrics') {
        // ?variant= renders one scrape in another variant without changing what Prometheus sees.
        if (variantParam !== null && !isLabelVariant(variantParam))
          return send(400, badVariant(variantParam));
        return send(200, sim.renderMetrics(variantParam ?? sim.variant), CONTENT_TYPE);
      }
      if (req.method === 'GET' && url.pathname === '/ksm/metrics')
        return send(200, sim.renderKsm() + moreKsm(), CONTENT_TYPE);
      if (req.method === 'GET' && url.pathname === '/hami/metrics')
        return send(200, sim.renderHami(), CONTENT_TYPE);
      if (url.pathname === '/variant') {
        if (req.method === 'GET')
          return send(200, JSON.stringify({ variant: sim.variant }), 'application/json');
        if (req.method !== 'POST') return send(405, 'use GET or POST\n');
        if (variantParam === null || !isLabelVariant(variantParam))
          return send(400, badVariant(variantParam ?? ''));
        sim.variant = variantParam;
        return send(200, JSON.stringify({ variant: sim.variant }), 'application/json');
      }
      if (req.method === 'GET' && url.pathname === '/debug/assignments') {
        return send(200, JSON.stringify(sim.assignments(), null, 2), 'application/json');
      }
      if (req.method === 'GET' && url.pathname === '/healthz') {
        return ready() ? send(200, 'ok\n') : send(503, 'informers not synced yet\n');
      }
      send(
        404,
        'not found: try /metrics, /ksm/metrics, /hami/metrics, /variant, /debug/assignments, /healthz\n',
      );
    } catch (err) {
      send(500, `simulator error: ${String(err)}\n`);
    }
  };
}

function badVariant(name: string): string {
  return `unknown label variant "${name}"; use one of: ${LABEL_VARIANTS.join(', ')}\n`;
}

/** Starts listening; resolves with the server and its URL. */
export async function startServer(
  sim: DcgmSimulator,
  options: ServerOptions = {},
): Promise<{ server: Server; url: string }> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(handleRequest(sim, options.ready ?? (() => true), options.moreKsm));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${host}:${port}` };
}
