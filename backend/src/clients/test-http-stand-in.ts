// Stand-in upstreams for tests (a Prometheus, a webhook receiver, a ks-apiserver): an HTTP server on a free
// loopback port, answering each request once its whole body is read. Kept out of the shipped build (test-*.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningStandIn {
  /** Its base URL, `http://127.0.0.1:<port>`. */
  url: string;
  /** Closes it and the connections clients keep alive, so the test process can end. */
  stop(): Promise<void>;
}

/** Starts `server` on a free loopback port. */
export async function listenOnLoopback(server: Server): Promise<ListeningStandIn> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type StandInAnswer = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A stand-in that hands `answer` each request with its body (UTF-8). */
export function startHttpStandIn(answer: StandInAnswer): Promise<ListeningStandIn> {
  return listenOnLoopback(
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => answer(req, Buffer.concat(chunks).toString('utf8'), res));
    }),
  );
}
