import type { FastifyInstance } from 'fastify';
import type { FeatureName, RouteSpec } from '@ks-gpu-ml/contracts';
import type { KubeClient } from '../clients/kube.js';
import type { PrometheusClient } from '../clients/prometheus.js';
import type { Store } from '../clients/store/index.js';
import type { Authorizer } from '../platform/authz.js';
import type { Metrics } from '../platform/metrics.js';
import { gpuQuotaFeature } from './gpu-quota/index.js';

/** What a feature plugin may use; it gets clients, never config or process state. */
export interface FeatureDeps {
  kube: KubeClient;
  prometheus: PrometheusClient | undefined;
  store: Store;
  authorizer: Authorizer;
  metrics: Metrics;
}

/**
 * A product feature as the backend sees it: its routes (from contracts) and a fastify plugin that builds its
 * service from the deps and mounts them. `features/<feature>/index.ts` exports one; add it to FEATURE_MODULES.
 */
export interface FeatureModule {
  name: FeatureName;
  routes: readonly RouteSpec[];
  plugin: (app: FastifyInstance, deps: FeatureDeps) => Promise<void>;
}

/** The features this build implements; FEATURES may name only these. None has landed yet (issues 4–7). */
export const FEATURE_MODULES: Partial<Record<FeatureName, FeatureModule>> = {
  'gpu-quota': gpuQuotaFeature,
};

export const implementedFeatures = (): FeatureName[] => Object.keys(FEATURE_MODULES) as FeatureName[];
