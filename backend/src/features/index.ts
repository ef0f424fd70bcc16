import type { FeatureName } from '@ks-gpu-ml/contracts';
import type { FeatureModule, FeatureSettings } from './feature.js';
import { cmdbAlertingFeature } from './cmdb-alerting/index.js';
import { gpuMonitoringFeature } from './gpu-monitoring/index.js';
import { gpuQuotaFeature } from './gpu-quota/index.js';
import { mlAppsFeature } from './ml-apps/index.js';
import type { EnforcerSetting } from './gpu-quota/scheduler.js';

// The registry: the one place that knows every feature. The shapes a feature implements live in feature.ts,
// which features import instead of this file, so the registry and the features do not import each other.

/** The feature settings out of the (already validated) config. */
export const featureSettings = (config: {
  KUBE_WATCH_CACHE_MAX_BYTES: number;
  GPU_QUOTA_ENFORCER: EnforcerSetting;
  GPU_QUOTA_MAX_AMOUNT: number;
  GPU_EXPORTER_JOB: string;
  GPU_HAMI_MONITOR_JOB: string;
  ALERT_INTAKE_TOKEN_FILE?: string | undefined;
  ALERT_INTAKE_MAX_BYTES: number;
  ALERT_INTAKE_MAX_ALERTS: number;
  ALERTMANAGER_URL?: string | undefined;
  ALERTMANAGER_TIMEOUT_MS: number;
  ALERT_ACK_KEY_FILE?: string | undefined;
  ALERT_ACK_BASE_URL?: string | undefined;
  ALERT_ACK_TTL_SECONDS: number;
  ALERT_ESCALATION_SECOND_MS: number;
  ALERT_ESCALATION_TICK_MS: number;
  ALERT_UNOWNED_REPORT_EVERY_MS: number;
  ALERT_WECOM_API_URL: string;
  ALERT_WECOM_RATE_LIMIT_BACKOFF_MS: number;
  ALERT_SMTP_HOST?: string | undefined;
  ALERT_SMTP_PORT: number;
  ALERT_SMTP_SECURE: boolean;
  ALERT_SMTP_FROM: string;
  ALERT_SMTP_USER?: string | undefined;
  ALERT_SMTP_PASSWORD_FILE?: string | undefined;
  ALERT_VOICE_PROVIDERS_FILE?: string | undefined;
  ALERT_CHANNEL_TIMEOUT_MS: number;
  ALERT_OUTBOX_MAX_ATTEMPTS: number;
  ALERT_OUTBOX_BASE_BACKOFF_MS: number;
  ALERT_OUTBOX_MAX_BACKOFF_MS: number;
  ML_APPS_NOTEBOOK_IMAGES: string;
  ML_APPS_SERVING_ALLOW_LOOPBACK: boolean;
  ML_APPS_NOTEBOOK_STAND_IN_ORIGIN?: string | undefined;
}): FeatureSettings => ({
  kubeWatchCacheMaxBytes: config.KUBE_WATCH_CACHE_MAX_BYTES,
  gpuQuotaEnforcer: config.GPU_QUOTA_ENFORCER,
  gpuQuotaMaxAmount: config.GPU_QUOTA_MAX_AMOUNT,
  gpuExporterJob: config.GPU_EXPORTER_JOB,
  gpuHamiMonitorJob: config.GPU_HAMI_MONITOR_JOB,
  mlAppsNotebookImages: config.ML_APPS_NOTEBOOK_IMAGES.split(','),
  mlAppsServingAllowLoopback: config.ML_APPS_SERVING_ALLOW_LOOPBACK,
  mlAppsNotebookStandInOrigin: config.ML_APPS_NOTEBOOK_STAND_IN_ORIGIN,
  cmdbAlertingIntake: {
    tokenFile: config.ALERT_INTAKE_TOKEN_FILE,
    maxBytes: config.ALERT_INTAKE_MAX_BYTES,
    maxAlerts: config.ALERT_INTAKE_MAX_ALERTS,
  },
  cmdbAlertingEscalation: {
    alertmanagerUrl: config.ALERTMANAGER_URL,
    alertmanagerTimeoutMs: config.ALERTMANAGER_TIMEOUT_MS,
    ackKeyFile: config.ALERT_ACK_KEY_FILE,
    ackBaseUrl: config.ALERT_ACK_BASE_URL,
    ackTtlSeconds: config.ALERT_ACK_TTL_SECONDS,
    secondMs: config.ALERT_ESCALATION_SECOND_MS,
    tickMs: config.ALERT_ESCALATION_TICK_MS,
    unownedReportEveryMs: config.ALERT_UNOWNED_REPORT_EVERY_MS,
  },
  cmdbAlertingChannels: {
    wecomBaseUrl: config.ALERT_WECOM_API_URL,
    wecomRateLimitBackoffMs: config.ALERT_WECOM_RATE_LIMIT_BACKOFF_MS,
    smtp: config.ALERT_SMTP_HOST
      ? {
          host: config.ALERT_SMTP_HOST,
          port: config.ALERT_SMTP_PORT,
          secure: config.ALERT_SMTP_SECURE,
          from: config.ALERT_SMTP_FROM,
          ...(config.ALERT_SMTP_USER ? { user: config.ALERT_SMTP_USER } : {}),
          ...(config.ALERT_SMTP_PASSWORD_FILE ? { passwordFile: config.ALERT_SMTP_PASSWORD_FILE } : {}),
        }
      : undefined,
    voiceProvidersFile: config.ALERT_VOICE_PROVIDERS_FILE,
    timeoutMs: config.ALERT_CHANNEL_TIMEOUT_MS,
  },
  cmdbAlertingOutbox: {
    maxAttempts: config.ALERT_OUTBOX_MAX_ATTEMPTS,
    baseBackoffMs: config.ALERT_OUTBOX_BASE_BACKOFF_MS,
    maxBackoffMs: config.ALERT_OUTBOX_MAX_BACKOFF_MS,
  },
});

/** The features this build implements; FEATURES may name only these.  */
export const FEATURE_MODULES: Partial<Record<FeatureName, FeatureModule>> = {
  'gpu-quota': gpuQuotaFeature,
  'gpu-monitoring': gpuMonitoringFeature,
  'cmdb-alerting': cmdbAlertingFeature,
  'ml-apps': mlAppsFeature,
};

export const implementedFeatures = (): FeatureName[] => Object.keys(FEATURE_MODULES) as FeatureName[];
