// What ml-apps' GPU-aware idle culler (docs/adr/0041) reads and writes besides notebooks: the workspaces'
// policies (one ConfigMap each in the backend's own namespace), Events on the notebooks it warns and stops, the
// idle-allocated GPUs gpu-monitoring's rules record in Prometheus, and - when cmdb-alerting's Alertmanager is
// configured - the warning as an alert, which cmdb-alerting's escalation policies route to people. Every call has a
// deadline (the KubeClient's, the Prometheus client's, `alertTimeoutMs`) and fails as an UpstreamError.
import { CoreV1Api, type CoreV1Event, type V1ConfigMap } from '@kubernetes/client-node';
import type { KubeClient } from './kube.js';
import { kubeCall as call, orUndefinedOn404, statusOf } from './kube-calls.js';
import type { PrometheusClient } from './prometheus.js';
import { HttpStatusError } from './reduced-error.js';
import { noObserve, timed, UpstreamError, type ObserveUpstream } from './upstream.js';

/** An alert as Alertmanager's POST /api/v2/alerts takes it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
}

export interface NotebookCullClient {
  /** The namespace the policies' ConfigMaps live in (the backend's own). */
  readonly ownNamespace: string;
  configMap(name: string): Promise<V1ConfigMap | undefined>;
  configMaps(labelSelector: string): Promise<V1ConfigMap[]>;
  /** Creates the ConfigMap, or replaces it when it exists. */
  putConfigMap(body: V1ConfigMap): Promise<V1ConfigMap>;
  createEvent(namespace: string, event: CoreV1Event): Promise<void>;
  /** Per namespace, per pod: how many GPUs it holds idle-allocated now (`series` is the recorded series' name). */
  idleGpus(series: string): Promise<Map<string, Map<string, number>>>;
  /** Whether warnings can go through cmdb-alerting (an Alertmanager URL is configured). */
  readonly alerting: boolean;
  postAlerts(alerts: PostableAlert[]): Promise<void>;
}

export function createNotebookCullClient(options: {
  kube: KubeClient;
  prometheus: PrometheusClient | undefined;
  alertmanagerUrl?: string | undefined;
  alertTimeoutMs?: number;
  observe?: ObserveUpstream;
  /** Where the policies live; default the kubeconfig context's namespace (the backend's own in a pod). */
  ownNamespace?: string;
}): NotebookCullClient {
  const { kube } = options;
  let core: CoreV1Api | undefined;
  const api = () => (core ??= kube.config.makeApiClient(CoreV1Api));
  const opts = () => kube.callOptions();
  // Read on first use, not at start-up: the feature mounts before anything needs the policies' namespace.
  let resolvedNamespace: string | undefined;
  const ns = () =>
    (resolvedNamespace ??=
      options.ownNamespace ??
      kube.config.getContextObject(kube.config.getCurrentContext())?.namespace ??
      'default');
  const alertBase = options.alertmanagerUrl?.replace(/\/+$/, '');
  const observe = options.observe ?? noObserve;

  return {
    get ownNamespace() {
      return ns();
    },
    configMap: (name) =>
      orUndefinedOn404(() => api().readNamespacedConfigMap({ name, namespace: ns() }, opts())),
    configMaps: async (labelSelector) =>
      (await call(() => api().listNamespacedConfigMap({ namespace: ns(), labelSelector }, opts()))).items,
    async putConfigMap(body) {
      const name = body.metadata?.name ?? '';
      try {
        return await api().createNamespacedConfigMap({ namespace: ns(), body }, opts());
      } catch (err) {
        if (statusOf(err) !== 409) throw new UpstreamError('kube-apiserver', err);
      }
      return call(() => api().replaceNamespacedConfigMap({ name, namespace: ns(), body }, opts()));
    },
    async createEvent(namespace, event) {
      await call(() => api().createNamespacedEvent({ namespace, body: event }, opts()));
    },
    async idleGpus(series) {
      const out = new Map<string, Map<string, number>>();
      if (!options.prometheus) return out;
      let data;
      try {
        data = await options.prometheus.query(series);
      } catch (err) {
        throw new UpstreamError('prometheus', err);
      }
      const result = Array.isArray(data.result) ? data.result : [];
      for (const sample of result as { metric?: Record<string, string> }[]) {
        const { namespace, pod } = sample.metric ?? {};
        if (!namespace || !pod) continue;
        const pods = out.get(namespace) ?? new Map<string, number>();
        pods.set(pod, (pods.get(pod) ?? 0) + 1);
        out.set(namespace, pods);
      }
      return out;
    },
    alerting: alertBase !== undefined,
    async postAlerts(alerts) {
      if (!alertBase) return;
      const url = `${alertBase}/api/v2/alerts`;
      try {
        await timed(observe, 'alertmanager', async () => {
          const response = await fetch(url, {
            method: 'POST',
            signal: AbortSignal.timeout(options.alertTimeoutMs ?? 5_000),
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(alerts),
          });
          await response.body?.cancel();
          if (response.status >= 400) throw new HttpStatusError('POST', url, response.status, '');
        });
      } catch (err) {
        throw new UpstreamError('alertmanager', err);
      }
    },
  };
}
