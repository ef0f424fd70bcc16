// The CMDB stand-in (tests/sandbox/stand-ins/cmdb) started inside the test's own process on a free loopback port,
// so a test can set its state and faults directly and needs no sandbox for it.
import { after, before } from 'node:test';
import { listenOnLoopback, type ListeningStandIn } from '../../../backend/src/clients/test-http-stand-in.js';
import { createCmdbStandIn } from '../../sandbox/stand-ins/cmdb/server.js';
import type { CmdbState } from '../../sandbox/stand-ins/cmdb/state.js';

export type RunningCmdbStandIn = ListeningStandIn;

export const startCmdbStandIn = (state: CmdbState): Promise<RunningCmdbStandIn> =>
  listenOnLoopback(createCmdbStandIn(state));

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
