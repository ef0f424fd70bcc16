import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { FEATURE_NAMES, type FeatureName } from '@ks-gpu-ml/contracts';
import { ConfigError } from '../shared/errors.js';

// ConfigError lives in shared/ so clients (a bad kubeconfig) raise it without importing the platform.
export { ConfigError };

/**
 * The Prometheus of KubeSphere's monitoring stack (the Prometheus Operator's governing service in
 * kubesphere-monitoring-system), which ks-apiserver's own `monitoring.endpoint` points at by default.
 */
export const DEFAULT_PROMETHEUS_URL = 'http://prometheus-operated.kubesphere-monitoring-system.svc:9090';

/**
 * The backend's configuration: environment variables, optionally preceded by a YAML/JSON file named by CONFIG_FILE
 * (the environment wins, so a chart can ship a file and still override one key). Parsed once at start; a bad value
 * stops the process with a message naming the key and what is expected (ConfigError), never at the first request.
 */
const Millis = (def: number, description: string) => Type.Integer({ minimum: 0, default: def, description });

export const ConfigSchema = Type.Object({
  HOST: Type.String({ default: '0.0.0.0', description: 'address to listen on' }),
  PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 8080,
    description: 'port to listen on; 0 = any free port',
  }),
  // Users' bearer tokens arrive on this listener: TLS unless explicitly waived (docs/adr/0012).
  TLS_CERT_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'PEM certificate (chain) the listener serves; re-read on change',
    }),
  ),
  TLS_KEY_FILE: Type.Optional(Type.String({ minLength: 1, description: 'PEM private key of TLS_CERT_FILE' })),
  TLS_RELOAD_MS: Type.Integer({
    minimum: 100,
    default: 30_000,
    description: 'how often the TLS files are checked for a rotated certificate',
  }),
  PLAIN_HTTP: Type.Boolean({
    default: false,
    description: 'serve plain HTTP beyond loopback (only behind a TLS-terminating proxy or mesh)',
  }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  AUTH_MODE: Type.Union([Type.Literal('kubernetes'), Type.Literal('kubesphere')], {
    default: 'kubesphere',
    description: 'kubesphere: tokens checked by ks-apiserver; kubernetes: TokenReview + SubjectAccessReview',
  }),
  KS_APISERVER_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'ks-apiserver base URL' }),
  ),
  KS_TOKEN_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'KubeSphere token used for access reviews; default: the caller’s',
    }),
  ),
  KUBECONFIG: Type.Optional(
    Type.String({ minLength: 1, description: 'kubeconfig path; default: in-cluster' }),
  ),
  PROMETHEUS_URL: Type.String({
    pattern: '^https?://',
    default: DEFAULT_PROMETHEUS_URL,
    description: "Prometheus base URL; default: KubeSphere's monitoring stack in the cluster",
  }),
  STORE_URL: Type.String({
    pattern: '^(sqlite:|postgres://|postgresql://|mysql://)',
    default: 'sqlite:data/backend.sqlite',
    description: 'sqlite:<path> | postgres://… | mysql://…',
  }),
  FEATURES: Type.Optional(
    Type.String({ description: 'comma list of features to serve; default: all implemented' }),
  ),
  IDENTITY_CACHE_TTL_MS: Millis(10_000, 'how long a verified token is trusted without asking again'),
  // 10 s, as every aggregated API server's delegating authorizer (k8s.io/apiserver): a revoked role stops
  // working within 10 s, and a page's burst of requests costs one SubjectAccessReview (ADR 0003).
  AUTHZ_CACHE_TTL_MS: Millis(10_000, 'how long an authorization decision is reused'),
  CACHE_MAX_ENTRIES: Type.Integer({ minimum: 1, default: 10_000 }),
  CACHE_MAX_BYTES: Type.Integer({
    minimum: 1_024,
    default: 16 * 1024 * 1024,
    description: 'bytes each verdict cache (identity, authorization) may hold',
  }),
  // Access reviews name any resource, so they get a cache of their own: new names cannot evict route decisions.
  ACCESS_REVIEW_CACHE_MAX_ENTRIES: Type.Integer({ minimum: 1, default: 1_000 }),
  // Behind ks-apiserver every request comes from its address: the per-client budget is the whole console's
  // new sign-ins per second, far above what people produce and far below what a script does (ADR 0016).
  NEW_TOKEN_RATE_PER_S: Type.Integer({
    minimum: 1,
    default: 20,
    description: 'tokens not yet verified each client may present per second (each costs an upstream call)',
  }),
  NEW_TOKEN_BURST: Type.Integer({
    minimum: 1,
    default: 100,
    description: 'the burst allowed above that rate',
  }),
  ACCESS_REVIEW_RATE_PER_S: Type.Integer({
    minimum: 1,
    default: 5,
    description: 'access reviews not answered from the cache each user may ask per second',
  }),
  ACCESS_REVIEW_BURST: Type.Integer({
    minimum: 1,
    default: 50,
    description: 'the burst allowed above that rate',
  }),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 5_000 }),
  PROMETHEUS_CACHE_TTL_MS: Millis(5_000, 'how long an identical PromQL answer is reused'),
  PROMETHEUS_CACHE_MAX_BYTES: Type.Integer({
    minimum: 1_024,
    default: 64 * 1024 * 1024,
    description: 'bytes of Prometheus answers the cache may hold (estimated heap size)',
  }),
  PROMETHEUS_CACHE_MAX_ENTRY_BYTES: Type.Integer({
    minimum: 1_024,
    default: 2 * 1024 * 1024,
    description: 'larger answers (long range queries) are shared by concurrent callers but not kept',
  }),
  // Each watch cache (namespaces, nodes, pods, quotas, KServe services) holds its projected objects' JSON up to
  // this; at 5,000 namespaces or 8,000 GPUs the largest needs a few MB (docs/adr/0016, addendum), so 64 MiB only
  // stops a cluster far past what the backend was measured at from growing the process without bound.
  KUBE_WATCH_CACHE_MAX_BYTES: Type.Integer({
    minimum: 1024 * 1024,
    maximum: 1024 * 1024 * 1024,
    default: 64 * 1024 * 1024,
    description:
      'bytes of projected objects each watch cache may hold (their JSON size, approximating the heap)',
  }),
  // Not UPSTREAM_TIMEOUT_MS: a dashboard's GPU queries over thousands of GPUs (idle detection reads a
  // 30-minute window of each) take seconds in Prometheus, whose own default query timeout is 2 minutes;
  // the benchmark at 8,000 GPUs saw 4 s for the summary alone, and 5 s turned the page into 502s.
  PROMETHEUS_TIMEOUT_MS: Type.Integer({
    minimum: 1,
    default: 30_000,
    description: 'how long a Prometheus query may take before the API answers 502',
  }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 10_000 }),
  GPU_QUOTA_ENFORCER: Type.Union(
    [Type.Literal('auto'), Type.Literal('kueue'), Type.Literal('volcano'), Type.Literal('none')],
    {
      default: 'auto',
      description:
        'gpu-quota: what enforces base on this cluster; auto detects Kueue, then Volcano, from the installed CRDs',
    },
  ),
  // 10^9 holds the largest real amount (HAMi MiB of a thousand 8×80 GB nodes: 6.6·10^8) and keeps any sum of
  // 64 rows over 100,000 projects far below 2^53, where JavaScript numbers stop being exact.
  GPU_QUOTA_MAX_AMOUNT: Type.Integer({
    minimum: 1,
    maximum: 1_000_000_000_000,
    default: 1_000_000_000,
    description:
      'gpu-quota: the largest base or max one quota row may hold; larger amounts are refused with 400',
  }),
  // Tenants can add scrape targets (KubeSphere custom monitoring) exporting the same DCGM_FI_* names; only this
  // job's series are GPU data (docs/adr/0015). gpu-operator's ServiceMonitor names the job after its Service.
  GPU_EXPORTER_JOB: Type.String({
    minLength: 1,
    default: 'nvidia-dcgm-exporter',
    description:
      "gpu-monitoring: the Prometheus job of dcgm-exporter's series; other jobs' DCGM_FI_* series are ignored",
  }),
  GPU_HAMI_MONITOR_JOB: Type.String({
    minLength: 1,
    default: 'hami-device-plugin-monitor',
    description:
      "gpu-monitoring: the Prometheus job of HAMi's vGPU monitor (per-container figures on shared GPUs)",
  }),
  // The platform's curated notebook images (the create form offers them first; a custom image is allowed too).
  ML_APPS_NOTEBOOK_IMAGES: Type.String({
    pattern: '^[^\\s,]+(,[^\\s,]+)*$',
    default: [
      'ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.10.0',
      'ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-pytorch-cuda-full:v1.10.0',
      'ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-tensorflow-cuda-full:v1.10.0',
      'ghcr.io/kubeflow/kubeflow/notebook-servers/codeserver-python:v1.10.0',
    ].join(','),
    description: 'ml-apps: comma list of the notebook images the create form offers',
  }),
  // A test request goes only to a service's cluster-local address in its own namespace (ADR 0040); loopback only
  // for the sandbox's stand-in predictor.
  ML_APPS_SERVING_ALLOW_LOOPBACK: Type.Boolean({
    default: false,
    description:
      'ml-apps: test requests may reach a predictor on loopback (127.0.0.1, ::1, localhost); for the sandbox only',
  }),
  // An opened notebook goes to its own Service (ADR 0046); the sandbox's stand-in Jupyter listens on loopback, so a
  // test names it here. Loopback only: it can never point the proxy at another host.
  ML_APPS_NOTEBOOK_STAND_IN_ORIGIN: Type.Optional(
    Type.String({
      pattern: '^http://(127\\.0\\.0\\.1|\\[::1\\]|localhost):[0-9]{1,5}$',
      description: 'ml-apps: tests only; every opened notebook is proxied to this loopback stand-in Jupyter',
    }),
  ),
  // Alertmanager's http_config.authorization credentials, mounted from a Secret; re-read when rotated (ADR 0022).
  ALERT_INTAKE_TOKEN_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'cmdb-alerting: file holding the bearer token Alertmanager sends; unset = intake refuses all',
    }),
  ),
  ALERT_INTAKE_MAX_BYTES: Type.Integer({
    minimum: 1_024,
    default: 4 * 1024 * 1024,
    description: 'cmdb-alerting: largest webhook body accepted; larger ones are answered 413',
  }),
  ALERT_INTAKE_MAX_ALERTS: Type.Integer({
    minimum: 1,
    default: 2_000,
    description:
      'cmdb-alerting: most alerts in one webhook batch; more are answered 413 (set max_alerts below it)',
  }),
  // Escalation, acknowledgement links and silences (docs/adr/0031).
  ALERTMANAGER_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description:
        "cmdb-alerting: Alertmanager's base URL for silences (API v2); unset = silences answer 503",
    }),
  ),
  ALERTMANAGER_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 5_000,
    description: 'cmdb-alerting: deadline of one call to Alertmanager',
  }),
  ALERT_ACK_KEY_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'cmdb-alerting: file holding the HMAC key that signs acknowledgement links (≥ 32 bytes); unset = no links',
    }),
  ),
  ALERT_ACK_BASE_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: "cmdb-alerting: the backend's external URL, where acknowledgement links in messages point",
    }),
  ),
  ALERT_ACK_TTL_SECONDS: Type.Integer({
    minimum: 60,
    maximum: 30 * 86_400,
    default: 86_400,
    description: 'cmdb-alerting: how long an acknowledgement link works',
  }),
  ALERT_ESCALATION_SECOND_MS: Type.Integer({
    minimum: 1,
    maximum: 1_000,
    default: 1_000,
    description:
      "cmdb-alerting: milliseconds one second of an escalation policy's waits lasts (1000; tests shorten waits)",
  }),
  ALERT_ESCALATION_TICK_MS: Type.Integer({
    minimum: 10,
    default: 5_000,
    description: 'cmdb-alerting: how often the escalation engine looks for due steps',
  }),
  ALERT_UNOWNED_REPORT_EVERY_MS: Type.Integer({
    minimum: 1_000,
    default: 86_400_000,
    description:
      "cmdb-alerting: how often the unowned bucket's report goes to the platform default's receivers (daily)",
  }),
  // The providers receivers' channels are built over (docs/adr/0037); receivers' own secrets are Secret references.
  ALERT_WECOM_API_URL: Type.String({
    pattern: '^https?://',
    default: 'https://qyapi.weixin.qq.com',
    description: "cmdb-alerting: WeCom's API base URL (group robots and app messages)",
  }),
  ALERT_SMTP_HOST: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'cmdb-alerting: SMTP server for email receivers; unset = none',
    }),
  ),
  ALERT_SMTP_PORT: Type.Integer({
    minimum: 1,
    maximum: 65535,
    default: 587,
    description: 'cmdb-alerting: SMTP port',
  }),
  ALERT_SMTP_SECURE: Type.Boolean({
    default: false,
    description: 'cmdb-alerting: TLS from the first byte (port 465); otherwise STARTTLS when offered',
  }),
  ALERT_SMTP_FROM: Type.String({
    minLength: 3,
    default: 'ks-gpu-ml alerts <alerts@ks-gpu-ml.local>',
    description: "cmdb-alerting: the alert mails' sender address",
  }),
  ALERT_SMTP_USER: Type.Optional(Type.String({ minLength: 1, description: 'cmdb-alerting: SMTP user' })),
  ALERT_SMTP_PASSWORD_FILE: Type.Optional(
    Type.String({ minLength: 1, description: "cmdb-alerting: file holding the SMTP user's password" }),
  ),
  ALERT_VOICE_PROVIDERS_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'cmdb-alerting: YAML/JSON file (from a Secret) with the voice providers (aliyun, tencent, twilio); unset = no phone calls',
    }),
  ),
  ALERT_WECOM_RATE_LIMIT_BACKOFF_MS: Type.Integer({
    minimum: 100,
    maximum: 3_600_000,
    default: 60_000,
    description:
      "cmdb-alerting: how long a WeCom robot or app sends nothing after errcode 45009 (WeCom's window is a minute)",
  }),
  ALERT_CHANNEL_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 10_000,
    description: 'cmdb-alerting: deadline of one call to a provider (WeCom, SMTP, voice, webhook)',
  }),
  ALERT_OUTBOX_MAX_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 8,
    description:
      'cmdb-alerting: sends of one notification (backing off from ALERT_OUTBOX_BASE_BACKOFF_MS to ALERT_OUTBOX_MAX_BACKOFF_MS) before it becomes a dead letter',
  }),
  ALERT_OUTBOX_BASE_BACKOFF_MS: Type.Integer({
    minimum: 100,
    maximum: 3_600_000,
    default: 5_000,
    description:
      'cmdb-alerting: the wait before the first retry of a failed send; it doubles per attempt (with jitter) up to ALERT_OUTBOX_MAX_BACKOFF_MS',
  }),
  ALERT_OUTBOX_MAX_BACKOFF_MS: Type.Integer({
    minimum: 100,
    maximum: 86_400_000,
    default: 15 * 60_000,
    description:
      'cmdb-alerting: the longest wait between two retries of a failed send, at least ALERT_OUTBOX_BASE_BACKOFF_MS',
  }),
});
export type RawConfig = Static<typeof ConfigSchema>;

export interface Config extends RawConfig {
  /** FEATURES parsed and checked against the features that exist. */
  features: FeatureName[];
}

function describe(schema: TSchema): string {
  if (schema.anyOf)
    return (
      `must be one of ${schema.anyOf.map((s: TSchema) => JSON.stringify(s.const)).join(', ')}` +
      (schema.description ? ` (${schema.description})` : '')
    );
  const rules: string[] = [
    `must be ${schema.type === 'integer' ? 'an integer' : `a ${String(schema.type)}`}`,
  ];
  if (schema.minimum !== undefined) rules.push(`>= ${schema.minimum}`);
  if (schema.maximum !== undefined) rules.push(`<= ${schema.maximum}`);
  if (schema.pattern) rules.push(`matching ${schema.pattern}`);
  if (schema.minLength) rules.push(`not empty`);
  return rules.join(' ') + (schema.description ? ` (${schema.description})` : '');
}

function readFileConfig(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError('CONFIG_FILE', 'must name a readable YAML or JSON file', `${path}: ${String(err)}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('CONFIG_FILE', 'must contain a mapping of KEY: value', path);
  }
  return Object.fromEntries(
    Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]),
  );
}

/**
 * @param implemented the features that have a backend plugin; FEATURES may only name those.
 */
export function loadConfig(env: NodeJS.ProcessEnv, implemented: readonly FeatureName[]): Config {
  const fromFile = env.CONFIG_FILE ? readFileConfig(env.CONFIG_FILE) : {};
  const known = Object.keys(ConfigSchema.properties);
  const fromEnv = Object.fromEntries(
    known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]),
  );
  const input: Record<string, unknown> = { ...pick(fromFile, known), ...fromEnv };

  const converted = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, input));
  const error = Value.Errors(ConfigSchema, converted).First();
  if (error) {
    const key = error.path.replace(/^\//, '') || 'config';
    const schema = (ConfigSchema.properties as Record<string, TSchema>)[key] ?? error.schema;
    throw new ConfigError(key, describe(schema), input[key]);
  }
  const raw = converted as RawConfig;
  if (raw.AUTH_MODE === 'kubesphere' && !raw.KS_APISERVER_URL) {
    throw new ConfigError('KS_APISERVER_URL', 'is required when AUTH_MODE=kubesphere', undefined);
  }
  if (raw.ALERT_OUTBOX_MAX_BACKOFF_MS < raw.ALERT_OUTBOX_BASE_BACKOFF_MS) {
    throw new ConfigError(
      'ALERT_OUTBOX_MAX_BACKOFF_MS',
      `must be at least ALERT_OUTBOX_BASE_BACKOFF_MS (${raw.ALERT_OUTBOX_BASE_BACKOFF_MS})`,
      input.ALERT_OUTBOX_MAX_BACKOFF_MS,
    );
  }
  checkFiles(raw);
  return { ...raw, features: parseFeatures(raw.FEATURES, implemented) };
}

/** The settings that name a file: each must be a readable file at start, not a stack trace at first use. */
export const FILE_SETTINGS = [
  'KUBECONFIG',
  'KS_TOKEN_FILE',
  'TLS_CERT_FILE',
  'TLS_KEY_FILE',
  'ALERT_INTAKE_TOKEN_FILE',
  'ALERT_ACK_KEY_FILE',
  'ALERT_SMTP_PASSWORD_FILE',
  'ALERT_VOICE_PROVIDERS_FILE',
] as const;

function checkFiles(raw: RawConfig): void {
  for (const key of FILE_SETTINGS) {
    const path = raw[key];
    if (path === undefined) continue;
    try {
      accessSync(path, constants.R_OK);
      if (!statSync(path).isFile()) throw new Error('not a regular file');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new ConfigError(key, 'must name a readable file', `${path}: ${reason}`);
    }
  }
  if (Boolean(raw.TLS_CERT_FILE) !== Boolean(raw.TLS_KEY_FILE)) {
    const missing = raw.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE';
    throw new ConfigError(missing, 'is required with TLS_CERT_FILE and TLS_KEY_FILE set together', undefined);
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * TLS files to serve, or none for plain HTTP — which is allowed only on loopback (tokens never leave the host) or
 * when PLAIN_HTTP=true says so explicitly (a TLS-terminating sidecar or mesh in front).
 */
export function listenerTls(config: RawConfig): { certFile: string; keyFile: string } | undefined {
  if (config.TLS_CERT_FILE && config.TLS_KEY_FILE) {
    return { certFile: config.TLS_CERT_FILE, keyFile: config.TLS_KEY_FILE };
  }
  if (config.PLAIN_HTTP || LOOPBACK_HOSTS.has(config.HOST)) return undefined;
  throw new ConfigError(
    'TLS_CERT_FILE',
    `and TLS_KEY_FILE are required to listen on ${config.HOST}: users' tokens would cross the network in clear (set PLAIN_HTTP=true only behind a TLS-terminating proxy)`,
    undefined,
  );
}

function parseFeatures(list: string | undefined, implemented: readonly FeatureName[]): FeatureName[] {
  if (list === undefined || list.trim() === '' || list.trim() === 'all') return [...implemented];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(FEATURE_NAMES as readonly string[]).includes(name)) {
      throw new ConfigError('FEATURES', `must list features among ${FEATURE_NAMES.join(', ')}`, list);
    }
    if (!implemented.includes(name as FeatureName)) {
      throw new ConfigError(
        'FEATURES',
        `names "${name}", which this build does not implement (implemented: ${implemented.join(', ') || 'none'})`,
        list,
      );
    }
  }
  return [...new Set(names)] as FeatureName[];
}

function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)));
}
