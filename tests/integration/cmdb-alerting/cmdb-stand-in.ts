// The CMDB stand-in (tests/sandbox/stand-ins/cmdb) started inside the test's own process on a free loopback port,
// so a test can set its state and faults directly and needs no sandbox for it.
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { createCmdbStandIn } from '../../sandbox/stand-ins/cmdb/server.js';
import type { CmdbState } from '../../sandbox/stand-ins/cmdb/state.js';

export interface RunningCmdbStandIn {
  /** Its base URL, `http://127.0.0.1:<port>`. */
  url: string;
  /** Closes it and the connections clients keep alive, so the test process can end. */
  stop(): void;
}

export async function startCmdbStandIn(state: CmdbState): Promise<RunningCmdbStandIn> {
  const server = createCmdbStandIn(state);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/**
 * The stand-in around this test file: started before its tests, stopped after them. `url` is its base URL once
 * it listens (read it inside tests and hooks, not at load time).
 */
export function cmdbStandInAroundTests(state: CmdbState): { readonly url: string } {
  let running: RunningCmdbStandIn | undefined;
  before(async () => {
    running = await startCmdbStandIn(state);
  });
  after(() => running?.stop());
  return {
    get url() {
      if (!running)
        throw new Error('the CMDB stand-in is not started yet: read its url inside a test or hook');
      return running.url;
    },
  };
}
