// The frame every page test shares: before each test, English through the console's `t` and a fresh contract
// server answering the given routes; after it, the pages unmounted and the server's violations reported.
import { afterEach, beforeEach } from 'node:test';
import type { Locales } from '../i18n.js';
import { ContractServer } from './contract-server.js';
import { cleanupPages, speakEnglish } from './render.js';

/** One server for a test file, reset and answering `defaults` before each test; tests add or replace routes. */
export function serveEachTest(locales: Locales, defaults: (server: ContractServer) => void): ContractServer {
  const server = new ContractServer();
  beforeEach(() => {
    speakEnglish(locales);
    defaults(server.reset());
    server.listen();
  });
  afterEach(() => {
    cleanupPages();
    server.close();
    server.verify();
  });
  return server;
}
