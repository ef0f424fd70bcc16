import { readFileSync } from 'node:fs';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { PLATFORM_GROUP, platformRoutes as platformRouteSpecs, type RouteSpec } from '@ks-gpu-ml/contracts';
import { createKubeClient, type KubeClient } from './clients/kube.js';
import { watchCachesSynced } from './clients/kube-cache.js';
import { createKubeSphereClient, type KubeSphereClient } from './clients/kubesphere.js';
import { createPrometheusClient, type PrometheusClient } from './clients/prometheus.js';
import { createStore, type Store } from './clients/store/index.js';
import { createWorkspaceMembership } from './clients/workspace-membership.js';
import { FEATURE_MODULES, featureSettings } from './features/index.js';
import { createPlatformServices, platformRouteSpecsFor } from './features/platform/service.js';
import { platformRoutes } from './features/platform/routes.js';
import { createCachedAuthorizer, type Authorizer } from './core/authz.js';
import { accessReviewAuthorizer, newTokenLimiter } from './core/upstream-limits.js';
import { kubeAuthorizer, kubeSphereAuthorizer } from './core/authorizers.js';
import type { Config } from './core/config.js';
import { frameworkErrorHandler, installErrorHandlers } from './core/errors.js';
import { installGuards } from './core/guard.js';
import { platformAdminCheck } from './core/platform-admin.js';
import { installHealth } from './core/health.js';
import { createTranslator, shippedCatalogues } from './core/i18n.js';
import { createAuthenticator, type TokenVerifier } from './core/identity.js';
import { requestId } from './core/logger.js';
import { createMetrics, installMetrics } from './core/metrics.js';
import { installValidation } from './core/validation.js';
import { installOpenApi } from './core/openapi-routes.js';
import { kubeSphereTokenVerifier, kubeTokenVerifier } from './core/verifiers.js';

/** The composition root: clients → services → routes. Process concerns (signals, listen) live in server.ts. */
export interface AppClients {
  kube: KubeClient;
  kubesphere: KubeSphereClient | undefined;
  prometheus: PrometheusClient | undefined;
  store: Store;
}

export interface BuiltApp {
  app: FastifyInstance;
  clients: AppClients;
  /** Makes /readyz answer 503 so the Service stops sending traffic before the listener closes. */
  beginShutdown(): void;
}

export const BUILD_VERSION: string =
  process.env.BUILD_VERSION ??
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;

export async function buildApp(
  config: Config,
  options: { logger: Logger; clients?: Partial<AppClients>; https?: { cert: Buffer; key: Buffer } },
): Promise<BuiltApp> {
  const metrics = createMetrics(BUILD_VERSION);
  const observe = metrics.observeUpstream;
  const timeoutMs = config.UPSTREAM_TIMEOUT_MS;

  const clients: AppClients = {
    kube:
      options.clients?.kube ?? createKubeClient({ kubeconfigPath: config.KUBECONFIG, timeoutMs, observe }),
    kubesphere:
      options.clients?.kubesphere ??
      (config.KS_APISERVER_URL
        ? createKubeSphereClient({ baseUrl: config.KS_APISERVER_URL, timeoutMs, observe })
        : undefined),
    prometheus:
      options.clients?.prometheus ??
      createPrometheusClient({
        baseUrl: config.PROMETHEUS_URL,
        timeoutMs: config.PROMETHEUS_TIMEOUT_MS,
        cacheTtlMs: config.PROMETHEUS_CACHE_TTL_MS,
        cacheMaxBytes: config.PROMETHEUS_CACHE_MAX_BYTES,
        cacheMaxEntryBytes: config.PROMETHEUS_CACHE_MAX_ENTRY_BYTES,
        observe,
      }),
    store: options.clients?.store ?? createStore(config.STORE_URL, { timeoutMs }),
  };
  const applied = await clients.store.migrate();
  if (applied.length) options.logger.info({ migrations: applied }, 'store migrated');

  const { verifier, authorizer } = accessControl(config, clients);
  const cache = { maxEntries: config.CACHE_MAX_ENTRIES, maxBytes: config.CACHE_MAX_BYTES };
  const authenticator = createAuthenticator({
    verifier,
    ttlMs: config.IDENTITY_CACHE_TTL_MS,
    ...cache,
    limiter: newTokenLimiter(config),
  });
  const cachedAuthorizer = createCachedAuthorizer(authorizer, { ttlMs: config.AUTHZ_CACHE_TTL_MS, ...cache });
  const reviewAuthorizer = accessReviewAuthorizer(authorizer, config);

  const translate = createTranslator(shippedCatalogues());
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    genReqId: requestId,
    frameworkErrors: frameworkErrorHandler(translate),
    // TLS on the listener (server.ts reads and reloads the files; docs/adr/0012).
    ...(options.https ? { https: options.https } : {}),
  } as FastifyServerOptions) as unknown as FastifyInstance;
  let shuttingDown = false;

  installValidation(app);
  installErrorHandlers(app, translate, platformAdminCheck(cachedAuthorizer));
  installMetrics(app, metrics);
  installHealth(
    app,
    // watchCaches: a cache a feature started has listed once (until then it would answer from nothing).
    { kube: () => clients.kube.ping(), store: () => clients.store.ping(), watchCaches: watchCachesSynced },
    {
      timeoutMs,
      isShuttingDown: () => shuttingDown,
    },
  );
  installGuards(app, { authenticator, authorizer: cachedAuthorizer, metrics });

  const features = config.features.map((name) => FEATURE_MODULES[name]).filter((f) => f !== undefined);
  const servedRoutes: RouteSpec[] = [
    ...Object.values(platformRouteSpecs),
    ...platformRouteSpecsFor(config.features),
    ...features.flatMap((f) => f.routes),
  ];
  installOpenApi(app, servedRoutes, BUILD_VERSION);

  const platformServices = createPlatformServices({
    authorizer: cachedAuthorizer,
    reviewAuthorizer,
    features: config.features,
    servedRoutes,
    buildVersion: BUILD_VERSION,
  });
  await app.register(platformRoutes, { services: platformServices });
  // One namespace watch per process, handed to every feature (docs/adr/0023); it starts when a feature first asks.
  const membership = createWorkspaceMembership(clients.kube, {
    maxBytes: config.KUBE_WATCH_CACHE_MAX_BYTES,
    onError: (err) => app.log.warn({ err }, 'namespace watch error'),
  });
  app.addHook('onClose', async () => membership.stop());
  const deps = {
    ...clients,
    membership,
    authorizer: cachedAuthorizer,
    metrics,
    translate,
    settings: featureSettings(config),
  };
  for (const feature of features) await app.register(async (scope) => feature.plugin(scope, deps));

  // Keep-alive connections of in-flight requests would hold app.close() open until their idle timeout:
  // tell those clients to reconnect (elsewhere) once their answer is sent.
  app.addHook('onSend', async (_request, reply) => {
    if (shuttingDown) void reply.header('connection', 'close');
  });
  app.addHook('onClose', async () => {
    await clients.store.close();
  });
  app.log.debug({ group: PLATFORM_GROUP, routes: servedRoutes.length }, 'routes mounted');
  return { app, clients, beginShutdown: () => void (shuttingDown = true) };
}

function accessControl(
  config: Config,
  clients: AppClients,
): { verifier: TokenVerifier; authorizer: Authorizer } {
  if (config.AUTH_MODE === 'kubernetes') {
    return { verifier: kubeTokenVerifier(clients.kube), authorizer: kubeAuthorizer(clients.kube) };
  }
  if (!clients.kubesphere) throw new Error('AUTH_MODE=kubesphere needs KS_APISERVER_URL');
  const tokenFile = config.KS_TOKEN_FILE;
  // Re-read on each use: a projected token file is rotated by the kubelet while we run.
  const serviceToken = tokenFile ? () => readFileSync(tokenFile, 'utf8').trim() : undefined;
  return {
    verifier: kubeSphereTokenVerifier(clients.kubesphere),
    authorizer: kubeSphereAuthorizer(clients.kubesphere, serviceToken),
  };
}
