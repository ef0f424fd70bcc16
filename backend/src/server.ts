import type { Server } from 'node:https';
import { implementedFeatures } from './features/index.js';
import { ConfigError, listenerTls, loadConfig } from './core/config.js';
import { createLogger } from './core/logger.js';
import { readTlsPair, reloadTlsOnChange } from './core/tls.js';

/**
 * The process: read config (exit 78, EX_CONFIG, naming the bad key), build the app, listen (TLS unless waived),
 * and on SIGTERM shut down gracefully: report not-ready, stop accepting, let in-flight requests finish, close the
 * store. A ConfigError raised while building (a kubeconfig or TLS file that cannot be used) also exits 78.
 */
async function orExit78<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}

const config = await orExit78(() => loadConfig(process.env, implementedFeatures()));
const tlsFiles = await orExit78(() => listenerTls(config));
const tls = tlsFiles && (await orExit78(() => readTlsPair(tlsFiles)));
const logger = createLogger(config.LOG_LEVEL);
// Loaded after the config is known good: a bad value is reported at once, before the heavy client modules load.
const { buildApp } = await import('./app.js');
const { app, beginShutdown } = await orExit78(() =>
  buildApp(config, { logger, ...(tls ? { https: tls } : {}) }),
);
if (tlsFiles && tls) {
  const stop = reloadTlsOnChange(app.server as unknown as Server, tlsFiles, tls, {
    intervalMs: config.TLS_RELOAD_MS,
    log: logger,
  });
  app.addHook('onClose', async () => stop());
}
const address = await app.listen({ host: config.HOST, port: config.PORT });
logger.info(
  { url: address, tls: Boolean(tls), authMode: config.AUTH_MODE, features: config.features },
  'backend listening',
);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down: finishing in-flight requests');
  beginShutdown();
  const force = setTimeout(() => {
    logger.error(
      { timeoutMs: config.SHUTDOWN_TIMEOUT_MS },
      'shutdown timed out; exiting with requests in flight',
    );
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS);
  force.unref();
  try {
    await app.close();
    logger.info('shut down cleanly');
    process.exit(0);
  } catch (err) {
    logger.error({ err }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
