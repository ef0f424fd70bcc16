// KubeSphere's one fact about tenancy every layer reads: a project is a namespace labelled with its workspace.

/** The namespace label naming the workspace a project (namespace) belongs to. */
export const WORKSPACE_LABEL = 'kubesphere.io/workspace';

/**
 * A Kubernetes label as kube-state-metrics exports it on `kube_namespace_labels`: `label_` and the name with
 * every character Prometheus does not allow in a label name turned into `_` (`kubesphere.io/workspace` →
 * `label_kubesphere_io_workspace`).
 */
export const kubeStateMetricsLabel = (label: string): string =>
  `label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
