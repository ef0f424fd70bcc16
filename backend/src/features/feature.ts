// What the core hands a feature (FeatureDeps) and what a feature hands back (FeatureModule). Features import this file, never the registry
// (index.ts) that imports them, so there is no loop between the two (docs/adr/0018).
import type { FastifyInstance } from 'fastify';
import type { FeatureName, RouteSpec } from '@ks-gpu-ml/contracts';
import type { KubeClient } from '../clients/kube.js';
import type { PrometheusClient } from '../clients/prometheus.js';
import type { Store } from '../clients/store/index.js';
import type { WorkspaceMembership } from '../clients/workspace-membership.js';
import type { Authorizer } from '../core/authz.js';
import type { Translate } from '../core/i18n.js';
import type { Metrics } from '../core/metrics.js';
import type { EnforcerSetting } from './gpu-quota/scheduler.js';

/**
 * Per-feature settings, read from the config by the composition root (app.ts, `featureSettings`): a feature
 * gets the values it needs, already checked, never the config itself.
 */
export interface FeatureSettings {
  /** KUBE_WATCH_CACHE_MAX_BYTES: the byte budget of each watch cache a feature opens (docs/adr/0016, addendum). */
  kubeWatchCacheMaxBytes: number;
  /** GPU_QUOTA_ENFORCER: what enforces base (docs/adr/0009). */
  gpuQuotaEnforcer: EnforcerSetting;
  /** GPU_QUOTA_MAX_AMOUNT: the largest base or max of one quota row (docs/adr/0013). */
  gpuQuotaMaxAmount: number;
  /** GPU_EXPORTER_JOB: the only job whose DCGM_FI_* series gpu-monitoring reads (docs/adr/0015). */
  gpuExporterJob: string;
  /** GPU_HAMI_MONITOR_JOB: the only job whose hami_* per-container series gpu-monitoring reads. */
  gpuHamiMonitorJob: string;
  /** ML_APPS_NOTEBOOK_IMAGES: the curated notebook images, in the platform's order. */
  mlAppsNotebookImages: readonly string[];
  /** ML_APPS_SERVING_ALLOW_LOOPBACK: test requests may reach a loopback predictor (the sandbox's stand-in). */
  mlAppsServingAllowLoopback: boolean;
  /** ML_APPS_NOTEBOOK_STAND_IN_ORIGIN: tests only, every opened notebook is sent to this loopback stand-in. */
  mlAppsNotebookStandInOrigin: string | undefined;
  /** ALERT_INTAKE_TOKEN_FILE, _MAX_BYTES, _MAX_ALERTS: cmdb-alerting's Alertmanager intake (docs/adr/0022). */
  cmdbAlertingIntake: { tokenFile: string | undefined; maxBytes: number; maxAlerts: number };
  /** ALERTMANAGER_*, ALERT_ACK_*, ALERT_ESCALATION_*: cmdb-alerting's escalation, ack links, silences (ADR 0031). */
  cmdbAlertingEscalation: {
    alertmanagerUrl: string | undefined;
    alertmanagerTimeoutMs: number;
    ackKeyFile: string | undefined;
    ackBaseUrl: string | undefined;
    ackTtlSeconds: number;
    secondMs: number;
    tickMs: number;
    /** ALERT_UNOWNED_REPORT_EVERY_MS: the unowned bucket's report, daily by default (docs/adr/0042). */
    unownedReportEveryMs: number;
  };
  /** ALERT_WECOM_*, ALERT_SMTP_*, ALERT_VOICE_PROVIDERS_FILE, ALERT_CHANNEL_TIMEOUT_MS: receivers' channels (ADR 0037). */
  cmdbAlertingChannels: {
    wecomBaseUrl: string;
    /** ALERT_WECOM_RATE_LIMIT_BACKOFF_MS: the pause after WeCom's 45009. */
    wecomRateLimitBackoffMs: number;
    smtp:
      | { host: string; port: number; secure: boolean; from: string; user?: string; passwordFile?: string }
      | undefined;
    voiceProvidersFile: string | undefined;
    timeoutMs: number;
  };
  /**
   * ALERT_OUTBOX_MAX_ATTEMPTS: sends before a notification becomes a dead letter (ADRs 0034, 0044);
   * ALERT_OUTBOX_BASE_BACKOFF_MS, ALERT_OUTBOX_MAX_BACKOFF_MS: the retries' exponential backoff (docs/adr/0034).
   */
  cmdbAlertingOutbox: { maxAttempts: number; baseBackoffMs: number; maxBackoffMs: number };
}

/** What a feature plugin may use; it gets clients and its settings, never config or process state. */
export interface FeatureDeps {
  kube: KubeClient;
  prometheus: PrometheusClient | undefined;
  store: Store;
  /** Namespace → workspace, from the process' one namespace watch: features never watch namespaces themselves. */
  membership: WorkspaceMembership;
  authorizer: Authorizer;
  metrics: Metrics;
  /** The backend's messages (locales/{en,zh}/backend.json), loaded once per process. */
  translate: Translate;
  settings: FeatureSettings;
}

/**
 * A product feature as the backend sees it: its routes (from contracts) and a fastify plugin that builds its
 * service from the deps and mounts them. `features/<feature>/index.ts` exports one; features/index.ts lists it in FEATURE_MODULES.
 */
export interface FeatureModule {
  name: FeatureName;
  routes: readonly RouteSpec[];
  plugin: (app: FastifyInstance, deps: FeatureDeps) => Promise<void>;
}
