import { implementedFeatures } from './features/index.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { createLogger } from './platform/logger.js';

/**
 * The process: read config (exit 78, EX_CONFIG, naming the bad key), build the app, listen, and on SIGTERM shut
 * down gracefully: report not-ready, stop accepting, let in-flight requests finish, close the store.
 */
function readConfig(): Config {
  try {
    return loadConfig(process.env, implementedFeatures());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}

const config = readConfig();
const logger = createLogger(config.LOG_LEVEL);
// Loaded after the config is known good: a bad value is reported at once, before the heavy client modules load.
const { buildApp } = await import('./app.js');
const { app, beginShutdown } = await buildApp(config, { logger });
const address = await app.listen({ host: config.HOST, port: config.PORT });
logger.info({ url: address, authMode: config.AUTH_MODE, features: config.features }, 'backend listening');

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
